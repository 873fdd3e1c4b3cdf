/*
 * gen-server-pages: a deterministic stream of raw Nova server pages for
 * the os-normalize benchmark.
 *
 * Usage: gen-server-pages MB [SEED]
 * Writes a run_start, pages of compute/servers (microversion 2.79 shape,
 * 50 servers a page, with varied names, states, flavors with and without
 * GPU extra specs, fractional times, addresses and metadata that needs
 * escaping) until at least MB megabytes are written, then a run_end.
 * The same arguments always give the same bytes.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define SERVERS_PER_PAGE	50

static uint64_t state = 88172645463325252ULL;

/* xorshift64: fast, and the same on every machine. */
static uint64_t
rnd(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static unsigned
pick(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static void
uuid(char out[37])
{
	uint64_t a = rnd(), b = rnd();

	snprintf(out, 37, "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64
	    "-a%03" PRIx64 "-%012" PRIx64, a >> 32, (a >> 16) & 0xffff,
	    a & 0xfff, (b >> 48) & 0xfff, (uint64_t)(b & 0xffffffffffffULL));
}

/* A time in 2026 in one of the forms nova writes. */
static void
stamp(char *out, size_t n, int fraction)
{
	unsigned m = 1 + pick(12), d = 1 + pick(28);
	unsigned hh = pick(24), mm = pick(60), ss = pick(60);

	if (fraction)
		snprintf(out, n, "2026-%02u-%02uT%02u:%02u:%02u.%06u", m, d, hh,
		    mm, ss, pick(1000000));
	else
		snprintf(out, n, "2026-%02u-%02uT%02u:%02u:%02uZ", m, d, hh, mm,
		    ss);
}

static const char *const statuses[] = { "ACTIVE", "ACTIVE", "ACTIVE",
	"SHUTOFF", "SHELVED_OFFLOADED", "ERROR", "PAUSED", "DELETED" };
static const char *const vm_states[] = { "active", "active", "active",
	"stopped", "shelved_offloaded", "error", "paused", "deleted" };
static const char *const names[] = { "ci-runner", "eng-build", "gx-sim",
	"demo", "caf\\u00e9-lab", "r\xc3\xa9sum\xc3\xa9-parser",
	"quote\\\"d", "\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8" };
static const struct {
	const char *name, *specs;
	int vcpus, ram, disk;
} flavors[] = {
	{ "m1.tiny", "{}", 1, 512, 1 },
	{ "m1.small", "{}", 1, 2048, 20 },
	{ "m1.large", "{\"hw:cpu_policy\":\"dedicated\"}", 8, 16384, 80 },
	{ "gpu.a100.2", "{\"pci_passthrough:alias\":\"a100:2\","
	    "\"hw:cpu_policy\":\"dedicated\"}", 24, 196608, 200 },
	{ "gpu.v100.1", "{\"pci_passthrough:alias\":\"v100:1\"}", 8, 65536,
	    100 },
	{ "vgpu.1", "{\"resources:VGPU\":\"1\"}", 4, 16384, 40 },
};

/* One server object; returns the bytes written. */
static int
server(FILE *fp, int first)
{
	char id[37], project[37], user[37], image[37], host[37];
	char created[40], updated[40], launched[40], terminated[48];
	unsigned s = pick(8), f = pick(6), nm = pick(8);

	uuid(id);
	uuid(project);
	uuid(user);
	uuid(image);
	uuid(host);
	stamp(created, sizeof(created), 0);
	stamp(updated, sizeof(updated), 0);
	stamp(launched, sizeof(launched), 1);
	if (s == 7)
		snprintf(terminated, sizeof(terminated), "\"%s\"", launched);
	else
		snprintf(terminated, sizeof(terminated), "null");
	return fprintf(fp, "%s{\"id\":\"%s\",\"name\":\"%s-%u\",\"status\":\"%s\","
	    "\"tenant_id\":\"%.32s\",\"user_id\":\"%.32s\","
	    "\"metadata\":{\"owner\":\"%s\",\"note\":\"line\\nbreak\"},"
	    "\"hostId\":\"%s%s\","
	    "\"image\":{\"id\":\"%s\",\"links\":[{\"rel\":\"bookmark\","
	    "\"href\":\"http://nova.test/images/%s\"}]},"
	    "\"flavor\":{\"vcpus\":%d,\"ram\":%d,\"disk\":%d,\"ephemeral\":0,"
	    "\"swap\":0,\"original_name\":\"%s\",\"extra_specs\":%s},"
	    "\"created\":\"%s\",\"updated\":\"%s\","
	    "\"addresses\":{\"net-%u\":[{\"version\":4,\"addr\":\"10.%u.%u.%u\","
	    "\"OS-EXT-IPS:type\":\"fixed\",\"OS-EXT-IPS-MAC:mac_addr\":"
	    "\"fa:16:3e:%02x:%02x:%02x\"}]},"
	    "\"accessIPv4\":\"\",\"accessIPv6\":\"\","
	    "\"links\":[{\"rel\":\"self\",\"href\":\"http://nova.test/v2.1/"
	    "servers/%s\"}],"
	    "\"OS-DCF:diskConfig\":\"MANUAL\",\"progress\":0,"
	    "\"OS-EXT-AZ:availability_zone\":\"nova\",\"config_drive\":\"\","
	    "\"key_name\":null,\"OS-SRV-USG:launched_at\":\"%s\","
	    "\"OS-SRV-USG:terminated_at\":%s,"
	    "\"OS-EXT-SRV-ATTR:host\":\"compute-%u\","
	    "\"OS-EXT-SRV-ATTR:instance_name\":\"instance-%08x\","
	    "\"OS-EXT-SRV-ATTR:hypervisor_hostname\":\"compute-%u\","
	    "\"OS-EXT-STS:task_state\":null,\"OS-EXT-STS:vm_state\":\"%s\","
	    "\"OS-EXT-STS:power_state\":%u,"
	    "\"os-extended-volumes:volumes_attached\":[],\"locked\":false,"
	    "\"description\":null,\"tags\":[],\"host_status\":\"UP\","
	    "\"security_groups\":[{\"name\":\"default\"}]}",
	    first ? "" : ",", id, names[nm], pick(1000), statuses[s], project,
	    user, names[pick(8)], host, host, image, image, flavors[f].vcpus,
	    flavors[f].ram, flavors[f].disk, flavors[f].name, flavors[f].specs,
	    created, updated, pick(50), pick(256), pick(256), pick(256),
	    pick(256), pick(256), pick(256), id, launched, terminated,
	    pick(400), (unsigned)pick(0x7fffffff), pick(400), vm_states[s],
	    s < 3 ? 1u : 4u);
}

int
main(int argc, char **argv)
{
	unsigned long long want, page = 0, total = 0;
	int i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: gen-server-pages MB [SEED]\n");
		return 2;
	}
	want = strtoull(argv[1], NULL, 10) * 1024 * 1024;
	if (argc == 3)
		state ^= strtoull(argv[2], NULL, 10) * 0x9e3779b97f4a7c15ULL;
	printf("{\"type\":\"run_start\",\"run_id\":\"bench\",\"source\":"
	    "\"openstack\",\"cloud\":\"bench\",\"region\":\"RegionOne\","
	    "\"started_at\":\"2026-11-25T00:00:00Z\",\"resources\":"
	    "[\"compute/servers\"]}\n");
	do {
		page++;
		total += (unsigned long long)printf("{\"type\":\"page\",\"run_id\":\"bench\",\"service\":"
		    "\"compute\",\"resource\":\"servers\",\"region\":"
		    "\"RegionOne\",\"method\":\"GET\",\"url\":"
		    "\"http://nova.test/v2.1/servers/detail?all_tenants=1\","
		    "\"status\":200,\"microversion\":\"2.79\",\"fetched_at\":"
		    "\"2026-11-25T00:%02llu:%02lluZ\",\"page\":%llu,"
		    "\"context\":{},\"body\":{\"servers\":[", page / 60 % 60,
		    page % 60, page);
		for (i = 0; i < SERVERS_PER_PAGE; i++)
			total += (unsigned long long)server(stdout, i == 0);
		total += (unsigned long long)printf("]}}\n");
	} while (total < want);
	printf("{\"type\":\"run_end\",\"run_id\":\"bench\",\"ended_at\":"
	    "\"2026-11-25T01:00:00Z\",\"complete\":true,\"pages\":%llu,"
	    "\"failed\":[]}\n", page);
	return ferror(stdout) || fflush(stdout) != 0 ? 1 : 0;
}
