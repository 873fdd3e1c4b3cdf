# usage-aggregate-gen.awk: a synthetic record stream for the benchmark.
#   awk -v n=RECORDS -f usage-aggregate-gen.awk
# 10,000 projects in a tree (one domain, 100 top-level projects, 99
# sub-projects each), 20,000 users, 8 flavors, then instance observations
# every 15 minutes from 2024-03-01 as os-normalize writes them (each poll
# with its own run_id), at least n records in all.  Every
# instance is stopped one day in seven so runs of observations change.
BEGIN {
	nproj = 10000; nuser = 20000; ninst = 10000
	print "{\"type\":\"domain\",\"id\":\"d0\",\"name\":\"Default\",\"observed_at\":\"2024-03-01T00:00:00Z\"}"
	for (p = 0; p < nproj; p++) {
		parent = p < 100 ? "d0" : "p" (p % 100)
		printf "{\"type\":\"project\",\"id\":\"p%d\",\"name\":\"project %d\",\"domain_id\":\"d0\",\"parent_id\":\"%s\",\"is_domain\":false,\"observed_at\":\"2024-03-01T00:00:00Z\"}\n", p, p, parent
	}
	for (u = 0; u < nuser; u++)
		printf "{\"type\":\"user\",\"id\":\"u%d\",\"name\":\"user %d\",\"email\":\"u%d@inst%d.edu\",\"observed_at\":\"2024-03-01T00:00:00Z\"}\n", u, u, u, u % 50
	for (f = 0; f < 8; f++)
		printf "{\"type\":\"flavor\",\"id\":\"f%d\",\"vcpus\":%d,\"ram_mb\":%d,\"disk_gb\":20,\"gpu_count\":0,\"observed_at\":\"2024-03-01T00:00:00Z\"}\n", f, 2 ^ (f % 4), 4096 * 2 ^ (f % 5)
	left = n - nproj - nuser - 9
	slots = int((left + ninst - 1) / ninst)
	if (slots < 1) slots = 1
	for (s = 0; s < slots; s++) {
		t = 1709251200 + s * 900
		day = int(s / 96); hh = int((s % 96) / 4); mm = (s % 4) * 15
		ts = sprintf("2024-03-%02dT%02d:%02d:00Z", day % 31 + 1, hh, mm)
		for (i = 0; i < ninst; i++) {
			st = (day + i) % 7 == 0 ? "SHUTOFF" : "ACTIVE"
			f = i % 8
			printf "{\"type\":\"instance\",\"id\":\"i%d\",\"name\":\"instance %d\",\"project_id\":\"p%d\",\"user_id\":\"u%d\",\"status\":\"%s\",\"flavor_id\":\"f%d\",\"vcpus\":%d,\"ram_mb\":%d,\"disk_gb\":20,\"region\":\"RegionOne\",\"observed_at\":\"%s\",\"run_id\":\"run-%d\"}\n", i, i, i % nproj, (i * 7) % nuser, st, f, 2 ^ (f % 4), 4096 * 2 ^ (f % 5), ts, s
		}
	}
}
