/*
 * fuzz_decode: strace's text of one call (src/core/decode/format.c) from
 * arbitrary contents of a struct scev, as a broken or hostile backend could
 * hand over: any ABI and number, any argument words, up to SCEV_MAX_CAPS
 * captures with any argument, state, length and bytes. The text must stay
 * printable ASCII, and nothing may be read out of the bytes given.
 *
 * Input: arch (1), part (1), strsize (1), flags (1: -y, signed nr, -x level),
 * nr (2), ret (8),
 * args (6 x 8), ncap (1); per capture: arg, at_exit, state, cut (1 each),
 * (2 unused); then the bytes, shared out among the captures in order.
 */
#include <linux/audit.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <whytop/decode.h>

static const char *fake_path(void *ctx, pid_t pid, int fd, char *buf, size_t size)
{
	(void)ctx, (void)pid;
	return fd % 2 ? NULL : "/x";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t arches[] = {AUDIT_ARCH_X86_64, AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
					  0};
	const size_t head = 1 + 1 + 1 + 1 + 2 + 8 + 48 + 1;
	if (size < head)
		return 0;
	struct scev ev = {.pid = 1, .tid = 1};
	const uint8_t *p = data;
	ev.arch = arches[p[0] % 4];
	unsigned part = p[1] % 3 + 1;
	struct sysdecode_opts o = {
	    .strsize = p[2], .fd_paths = p[3] & 1, .fd_path = fake_path, .xflag = (p[3] >> 2) % 3u};
	uint16_t nr;
	memcpy(&nr, p + 4, 2);
	ev.nr = (p[3] & 2) ? (long)(int16_t)nr : nr;
	memcpy(&ev.ret, p + 6, 8);
	memcpy(ev.arg, p + 14, 48);
	ev.ncap = p[62] % (SCEV_MAX_CAPS + 1);
	ev.part = part;
	size_t off = head;
	for (unsigned i = 0; i < ev.ncap; i++) {
		if (size - off < 6)
			return 0;
		struct scev_cap *k = &ev.cap[i];
		k->arg = data[off] % 8;
		k->at_exit = data[off + 1] & 1;
		k->state = data[off + 2] % 4;
		k->cut = data[off + 3] & 1;
		off += 6;
		k->len = 0;
		k->data = NULL;
	}
	/* Each capture's bytes in a heap block of exactly its length. */
	uint8_t *blk[SCEV_MAX_CAPS] = {0};
	for (unsigned i = 0; i < ev.ncap; i++) {
		size_t len = (size - off) / (ev.ncap - i);
		if (i + 1 == ev.ncap)
			len = size - off;
		blk[i] = malloc(len ? len : 1);
		if (len)
			memcpy(blk[i], data + off, len);
		ev.cap[i].data = blk[i];
		ev.cap[i].len = (uint32_t)len;
		off += len;
	}
	struct wt_buf out;
	wt_buf_init(&out);
	sysdecode_format(&ev, (enum scev_part)part, &o, &out);
	for (size_t i = 0; i < out.len; i++)
		if ((unsigned char)out.data[i] < 0x20 || (unsigned char)out.data[i] > 0x7e)
			__builtin_trap();
	struct sccap caps[SCEV_MAX_CAPS];
	int n = sysdecode_captures(ev.arch, ev.nr, o.strsize, caps);
	if (n < 0 || n > SCEV_MAX_CAPS)
		__builtin_trap();
	wt_buf_free(&out);
	for (unsigned i = 0; i < ev.ncap; i++)
		free(blk[i]);
	return 0;
}
