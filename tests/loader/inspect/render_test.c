/* bpftool-shaped rendering of synthetic program, map and link info (link
 * types the test host cannot create: tcx, netfilter, perf_event, ...). */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "loader/inspect/inspect.h"

static void put32(struct rb_link_desc *d, size_t off, uint32_t v) { memcpy(d->raw + off, &v, 4); }
static void put64(struct rb_link_desc *d, size_t off, uint64_t v) { memcpy(d->raw + off, &v, 8); }

static struct rb_link_desc link_of(uint32_t type, uint32_t id, uint32_t prog)
{
	struct rb_link_desc d;
	memset(&d, 0, sizeof(d));
	d.type = type;
	d.id = id;
	d.prog_id = prog;
	put32(&d, 0, type);
	put32(&d, 4, id);
	put32(&d, 8, prog);
	return d;
}

/* Renders as text (json false) or JSON into a string the caller frees. */
static char *render_link(const struct rb_link_desc *d, bool json)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct rb_json j;
	rb_json_init(&j, f, false);
	rb_link_print(f, json ? &j : NULL, d);
	fclose(f);
	return text;
}

static void expect_link(const struct rb_link_desc *d, const char *text, const char *json)
{
	char *t = render_link(d, false), *j = render_link(d, true);
	ck_assert_str_eq(t, text);
	ck_assert_str_eq(j, json);
	free(t);
	free(j);
}

START_TEST(tcx_link)
{
	struct rb_link_desc d = link_of(11, 7, 42);
	put32(&d, 16, 3);
	put32(&d, 20, 47);
	expect_link(&d, "7: tcx  prog 42\n\tifindex 3  attach_type tcx_egress\n",
		    "{\"id\":7,\"type\":\"tcx\",\"prog_id\":42,\"ifindex\":3,\"attach_type\":\"tcx_egress\"}");
}
END_TEST

START_TEST(netfilter_link_has_signed_priority)
{
	struct rb_link_desc d = link_of(10, 8, 43);
	put32(&d, 16, 2);
	put32(&d, 20, 1);
	put32(&d, 24, (uint32_t)-100);
	expect_link(&d, "8: netfilter  prog 43\n\tpf 2  hook 1  prio -100  flags 0x0\n",
		    "{\"id\":8,\"type\":\"netfilter\",\"prog_id\":43,\"pf\":2,\"hook\":1,\"prio\":-100,\"flags\":0}");
}
END_TEST

START_TEST(perf_event_and_cgroup_links)
{
	struct rb_link_desc d = link_of(7, 9, 44);
	put32(&d, 16, 5);
	strcpy(d.str, "sched_switch");
	expect_link(&d, "9: perf_event  prog 44\n\tevent_type tracepoint  name sched_switch\n",
		    "{\"id\":9,\"type\":\"perf_event\",\"prog_id\":44,\"event_type\":\"tracepoint\",\"name\":\"sched_switch\"}");
	d = link_of(3, 10, 45);
	put64(&d, 16, 1234567890123ull);
	put32(&d, 24, 0);
	expect_link(&d, "10: cgroup  prog 45\n\tcgroup_id 1234567890123  attach_type cgroup_inet_ingress\n",
		    "{\"id\":10,\"type\":\"cgroup\",\"prog_id\":45,\"cgroup_id\":1234567890123,\"attach_type\":\"cgroup_inet_ingress\"}");
}
END_TEST

START_TEST(perf_event_subtypes)
{
	struct rb_link_desc d = link_of(7, 12, 47);
	put32(&d, 16, 6); /* a perf event: config and type */
	put64(&d, 24, 0x100000002ull);
	put32(&d, 32, 1);
	expect_link(&d, "12: perf_event  prog 47\n\tevent_type event  config 0x100000002  type 1\n",
		    "{\"id\":12,\"type\":\"perf_event\",\"prog_id\":47,\"event_type\":\"event\",\"config\":4294967298,\"type\":1}");
	d = link_of(7, 13, 48);
	put32(&d, 16, 3); /* kprobe */
	strcpy(d.str, "do_sys_open");
	put32(&d, 36, 4);
	put64(&d, 40, 0xffffffff81000000ull);
	expect_link(&d, "13: perf_event  prog 48\n\tevent_type kprobe  name do_sys_open  offset 0x4  addr 0xffffffff81000000\n",
		    "{\"id\":13,\"type\":\"perf_event\",\"prog_id\":48,\"event_type\":\"kprobe\",\"name\":\"do_sys_open\","
		    "\"offset\":4,\"addr\":18446744071578845184}");
}
END_TEST

START_TEST(unknown_link_type_prints_number)
{
	struct rb_link_desc d = link_of(99, 11, 46);
	expect_link(&d, "11: type 99  prog 46\n", "{\"id\":11,\"type\":99,\"prog_id\":46}");
}
END_TEST

START_TEST(prog_json_keys)
{
	struct rb_prog_desc d;
	memset(&d, 0, sizeof(d));
	d.info.id = 5;
	d.info.type = 6;
	strcpy(d.info.name, "xdp_main");
	d.info.tag[0] = 0xab;
	d.info.gpl_compatible = 1;
	d.info.xlated_prog_len = 16;
	d.loaded_at = 1700000000;
	d.map_ids[0] = 3;
	d.map_ids[1] = 4;
	d.nr_map_ids = 2;
	/* holders of other objects are left out */
	struct rb_pid_ref refs[] = {
		{.id = 5, .pid = 77, .kind = RB_OBJ_PROG, .comm = "agent"},
		{.id = 5, .pid = 78, .kind = RB_OBJ_MAP, .comm = "other"},
		{.id = 6, .pid = 79, .kind = RB_OBJ_PROG, .comm = "other"},
		{.id = 5, .pid = 80, .kind = RB_OBJ_PROG, .comm = "second"},
	};
	struct rb_pid_index ix = {.refs = refs, .n = 4, .cap = 4};
	d.pids = &ix;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct rb_json j;
	rb_json_init(&j, f, false);
	rb_prog_print(f, &j, &d);
	fclose(f);
	ck_assert_str_eq(text, "{\"id\":5,\"type\":\"xdp\",\"name\":\"xdp_main\",\"tag\":\"ab00000000000000\","
			       "\"gpl_compatible\":true,\"loaded_at\":1700000000,\"uid\":0,\"bytes_xlated\":16,"
			       "\"jited\":false,\"map_ids\":[3,4],\"pids\":[{\"pid\":77,\"comm\":\"agent\"},"
			       "{\"pid\":80,\"comm\":\"second\"}]}");
	free(text);
	f = open_memstream(&text, &len);
	rb_prog_print(f, NULL, &d);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(text, "5: xdp  name xdp_main  tag ab00000000000000  gpl\n"));
	ck_assert_ptr_nonnull(strstr(text, "\txlated 16B  not jited  map_ids 3,4\n\tpids agent(77), second(80)\n"));
	free(text);
	d.info.id = 7;  /* held by nobody: no "pids" at all */
	f = open_memstream(&text, &len);
	rb_json_init(&j, f, false);
	rb_prog_print(f, &j, &d);
	fclose(f);
	ck_assert_ptr_null(strstr(text, "pids"));
	ck_assert_ptr_nonnull(strstr(text, "\"map_ids\":[3,4]}"));
	free(text);
}
END_TEST

START_TEST(map_text_shows_frozen)
{
	struct rb_map_desc d;
	memset(&d, 0, sizeof(d));
	d.info.id = 2;
	d.info.type = 1;
	d.info.key_size = 4;
	d.info.value_size = 8;
	d.info.max_entries = 16;
	d.memlock = 2320;
	d.has_memlock = true;
	d.frozen = true;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	rb_map_print(f, NULL, &d);
	fclose(f);
	ck_assert_str_eq(text, "2: hash  flags 0x0\n\tkey 4B  value 8B  max_entries 16  memlock 2320B  frozen\n");
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inspect-render");
	TCase *tc = tcase_create("render");
	tcase_add_test(tc, tcx_link);
	tcase_add_test(tc, netfilter_link_has_signed_priority);
	tcase_add_test(tc, perf_event_and_cgroup_links);
	tcase_add_test(tc, unknown_link_type_prints_number);
	tcase_add_test(tc, perf_event_subtypes);
	tcase_add_test(tc, prog_json_keys);
	tcase_add_test(tc, map_text_shows_frozen);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
