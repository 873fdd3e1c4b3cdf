# gen-cloud.awk: a random cloud for the cross-axis test.
#   awk -v seed=N -f gen-cloud.awk
# 60 projects in a tree three levels deep, some funded by two or three
# institutions with shares that change mid-month, 40 users (some with an
# explicit institution, some by e-mail domain, some with none), flavors
# of every SU type, and instances with actions through March 2024.
function ts(t) { return strftime("%Y-%m-%dT%H:%M:%SZ", t, 1) }
BEGIN {
	srand(seed)
	t0 = 1709251200		# 2024-03-01T00:00:00Z
	o = "\"observed_at\":\"2024-02-01T00:00:00Z\""
	print "{\"type\":\"domain\",\"id\":\"d\",\"name\":\"Default\"," o "}"
	for (i = 0; i < 3; i++) {
		printf "{\"type\":\"institution\",\"id\":\"in%d\",\"name\":\"Inst %d\",\"code\":\"C%d\"}\n", i, i, i
		printf "{\"type\":\"email_domain_institution\",\"id\":\"i%d.edu\",\"domain\":\"i%d.edu\",\"institution_id\":\"in%d\"}\n", i, i, i
	}
	for (p = 0; p < 60; p++) {
		par = p < 6 ? "d" : "p" (p % 6 + 6 * (p >= 36))
		if (par == "p" p) par = "d"
		printf "{\"type\":\"project\",\"id\":\"p%d\",\"name\":\"proj %d\",\"domain_id\":\"d\",\"parent_id\":\"%s\",\"is_domain\":false,%s}\n", p, p, par, o
		if (p % 4 == 0) {
			printf "{\"type\":\"project_institution\",\"id\":\"p%d:in0\",\"project_id\":\"p%d\",\"institution_id\":\"in0\",\"share\":\"0.333333333\",\"valid_from\":\"2024-01-01T00:00:00Z\"}\n", p, p
			printf "{\"type\":\"project_institution\",\"id\":\"p%d:in1\",\"project_id\":\"p%d\",\"institution_id\":\"in1\",\"share\":\"0.333333333\",\"valid_from\":\"2024-01-01T00:00:00Z\"}\n", p, p
			printf "{\"type\":\"project_institution\",\"id\":\"p%d:in2\",\"project_id\":\"p%d\",\"institution_id\":\"in2\",\"share\":\"0.333333334\",\"valid_from\":\"2024-01-01T00:00:00Z\"}\n", p, p
			tt = ts(t0 + int(rand() * 2678400))
			printf "{\"type\":\"project_institution\",\"id\":\"p%d:in1\",\"project_id\":\"p%d\",\"institution_id\":\"in1\",\"share\":\"0.7\",\"valid_from\":\"%s\"}\n", p, p, tt
			printf "{\"type\":\"project_institution\",\"id\":\"p%d:in0\",\"project_id\":\"p%d\",\"institution_id\":\"in0\",\"share\":\"0.3\",\"valid_from\":\"%s\"}\n", p, p, tt
		} else if (p % 4 == 1)
			printf "{\"type\":\"project_institution\",\"id\":\"p%d:in2\",\"project_id\":\"p%d\",\"institution_id\":\"in2\",\"share\":\"1\",\"valid_from\":\"2024-01-01T00:00:00Z\"}\n", p, p
	}
	for (u = 0; u < 40; u++) {
		printf "{\"type\":\"user\",\"id\":\"u%d\",\"name\":\"user %d\",\"email\":\"u%d@%s\",%s}\n", u, u, u, (u % 3 == 2 ? "nowhere.org" : "i" u % 3 ".edu"), o
		if (u % 5 == 0)
			printf "{\"type\":\"user_institution\",\"id\":\"u%d\",\"user_id\":\"u%d\",\"institution_id\":\"in%d\",\"valid_from\":\"2024-01-01T00:00:00Z\"}\n", u, u, (u / 5) % 3
	}
	split("1:2048:0: 2:8192:0: 4:16384:0: 2:65536:0: 24:75776:1:a100 48:151552:2:a100 31:245760:1:a100-sxm4 6:29184:1:k80", fl, " ")
	for (f = 1; f <= 8; f++) {
		split(fl[f], a, ":")
		printf "{\"type\":\"flavor\",\"id\":\"f%d\",\"vcpus\":%d,\"ram_mb\":%d,\"disk_gb\":20,\"gpu_count\":%d,\"gpu_alias\":%s,%s}\n", f, a[1], a[2], a[3], a[4] == "" ? "null" : "\"" a[4] "\"", o
	}
	n = split("start stop shelve unshelve pause reboot delete", acts, " ")
	for (i = 0; i < 300; i++) {
		f = 1 + int(rand() * 8)
		c = t0 - 86400 * 10 + int(rand() * 86400 * 35)
		printf "{\"type\":\"instance\",\"id\":\"vm%d\",\"name\":\"vm %d\",\"project_id\":\"p%d\",\"user_id\":\"u%d\",\"status\":\"ACTIVE\",\"flavor_id\":\"f%d\",\"created_at\":\"%s\",\"observed_at\":\"%s\"}\n", i, i, int(rand() * 60), int(rand() * 40), f, ts(c), ts(c)
		printf "{\"type\":\"instance_action\",\"id\":\"r%d-0\",\"instance_id\":\"vm%d\",\"action\":\"create\",\"start_time\":\"%s\",\"message\":%s}\n", i, i, ts(c), rand() < 0.05 ? "\"Error\"" : "null"
		for (k = 1; k <= int(rand() * 5); k++) {
			c += int(rand() * 86400 * 8)
			printf "{\"type\":\"instance_action\",\"id\":\"r%d-%d\",\"instance_id\":\"vm%d\",\"action\":\"%s\",\"start_time\":\"%s\",\"message\":null}\n", i, k, i, acts[1 + int(rand() * n)], ts(c)
		}
	}
}
