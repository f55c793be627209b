/* Every kind of global data: .data, .rodata (const volatile knobs set with
 * --set), .bss, custom .data.* / .rodata.* sections and string literals. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

enum mode { MODE_ADD = 1, MODE_MUL = 2 };

const volatile __u32 knob = 3;              /* .rodata */
const volatile __s16 neg_knob = -2;         /* .rodata */
const volatile enum mode mode = MODE_ADD;   /* .rodata */
const volatile char greeting[8] = "hello";  /* .rodata */
const volatile _Bool flag = 0;              /* .rodata */
__u64 data_var = 100;                       /* .data */
__u64 counter;                              /* .bss */
__u32 custom_data SEC(".data.custom") = 7;
const volatile __u32 custom_ro SEC(".rodata.custom") = 11;

struct results {
	__u64 sum;
	__s64 neg;
	__u32 first_char;
	__u32 literal_len;
	__u32 flag;
	__u32 runs;
};
struct results out;                         /* .bss */

static __noinline __u32 literal_length(const char *s)
{
	__u32 n = 0;
	for (int i = 0; i < 16 && s[i]; i++)
		n++;
	return n;
}

/* out.sum = knob (+|*) data_var + custom_data + custom_ro */
SEC("socket")
int read_globals(struct __sk_buff *skb)
{
	static const char literal[] = "rawbpf!";  /* string literal data */
	__u64 base = mode == MODE_MUL ? (__u64)knob * data_var : knob + data_var;

	out.sum = base + custom_data + custom_ro;
	out.neg = neg_knob;
	out.first_char = greeting[0];
	out.literal_len = literal_length(literal);
	out.flag = flag;
	out.runs = ++counter;
	data_var += 1;
	custom_data += 1;
	return (int)out.sum;
}

LICENSE("GPL");
