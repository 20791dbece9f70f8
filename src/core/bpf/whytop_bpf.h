/*
 * whytop_bpf.h: included first by every eBPF program in C (X.bpf.c): the
 * kernel's types (vmlinux.h, CO-RE) and libbpf's helpers.
 */
#ifndef WHYTOP_BPF_H
#define WHYTOP_BPF_H

#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#endif
