#!/usr/bin/env python3
"""Runs progs/core/task.bpf.o's pinned program with BPF_PROG_TEST_RUN from
this process and checks what its CO-RE reads saw against what this process
knows about itself (pid, tgid, uid, comm, mm, a UDP socket and a datagram
waiting in it) and the kernel's config, version and kallsyms.
usage: task_check.py PIN_DIR    prints 'ok NAME' / 'FAIL NAME: why' lines."""
import ctypes, glob, gzip, os, platform, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
NR_BPF = 321
BPF_MAP_LOOKUP_ELEM, BPF_OBJ_GET, BPF_PROG_TEST_RUN = 1, 7, 10


def bpf(cmd, attr):
    buf = ctypes.create_string_buffer(attr, 128)
    r = libc.syscall(NR_BPF, cmd, buf, 128)
    if r < 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return r, buf.raw


def obj_get(path):
    p = ctypes.create_string_buffer(path.encode())
    return bpf(BPF_OBJ_GET, struct.pack('<QII', ctypes.addressof(p), 0, 0))[0]


def test_run(prog_fd, fd_arg):
    ctx = ctypes.create_string_buffer(struct.pack('<Q', fd_arg), 8)
    attr = struct.pack('<IIIIQQIIIIQQIII', prog_fd, 0, 0, 0, 0, 0, 0, 0, 8, 0,
                       ctypes.addressof(ctx), 0, 0, 0, 0)
    return struct.unpack_from('<I', bpf(BPF_PROG_TEST_RUN, attr)[1], 4)[0]


def lookup(map_fd, size):
    key = ctypes.create_string_buffer(4)
    val = ctypes.create_string_buffer(size)
    bpf(BPF_MAP_LOOKUP_ELEM, struct.pack('<IIQQQ', map_fd, 0, ctypes.addressof(key),
                                         ctypes.addressof(val), 0))
    return val.raw


def kconfig():
    try:
        text = gzip.open('/proc/config.gz', 'rt').read()
    except OSError:
        text = open('/boot/config-' + platform.release()).read()
    cfg = {}
    for line in text.splitlines():
        if line.startswith('CONFIG_') and '=' in line:
            k, v = line.split('=', 1)
            cfg[k] = v
    return cfg


def main():
    pin = sys.argv[1]
    prog = obj_get(os.path.join(pin, 'read_task'))
    bss = obj_get(glob.glob(os.path.join(pin, 'maps', '*bss*'))[0])
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.bind(('127.0.0.1', 0))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.bind(('127.0.0.1', 0))
    rx.connect(tx.getsockname())
    tx.sendto(b'x' * 1234, rx.getsockname())
    test_run(prog, rx.fileno())
    v = lookup(bss, 192)
    (pid, tgid, uid, family) = struct.unpack_from('<IIII', v, 0)
    comm = v[16:32].split(b'\0')[0].decode()
    start_stack, arg_start = struct.unpack_from('<QQ', v, 32)
    sport, dport, skb_len = struct.unpack_from('<III', v, 48)
    has_state, has_fake, has_task, size_ok, ringbuf = struct.unpack_from('<5I', v, 60)
    kver, bpf_syscall, jit, hz, no_such, kfunc = struct.unpack_from('<6I', v, 80)
    stext, = struct.unpack_from('<Q', v, 104)
    localversion = v[112:176].split(b'\0')[0].decode()
    cookie, wrapper, done = struct.unpack_from('<III', v, 176)

    stat = open('/proc/self/stat').read().rsplit(')', 1)[1].split()
    rel = [int(x) for x in platform.release().split('-')[0].split('.')[:3]]
    cfg = kconfig()
    ksyms = {l.split()[2]: int(l.split()[0], 16) for l in open('/proc/kallsyms') if ' _stext' in l}
    tri = {'y': 1, 'm': 2}
    checks = [
        ('ran', done, 1),
        ('task pid', pid, os.getpid()), ('task tgid', tgid, os.getpid()),
        ('task cred uid', uid, os.getuid()), ('task comm', comm, open('/proc/self/comm').read().strip()),
        ('mm start_stack', start_stack, int(stat[25])), ('mm arg_start', arg_start, int(stat[45])),
        ('sock family', family, socket.AF_INET), ('sock sport', sport, rx.getsockname()[1]),
        ('sock dport', dport, tx.getsockname()[1]), ('sk_buff len', skb_len in (1234, 1234 + 8), True),
        ('field exists __state', has_state, 1), ('flavour field missing', has_fake, 0),
        ('type exists', has_task, 1), ('type size', size_ok, 1), ('enum value', ringbuf, 27),
        ('LINUX_KERNEL_VERSION', kver, rel[0] << 16 | rel[1] << 8 | min(rel[2], 255)),
        ('CONFIG_BPF_SYSCALL', bpf_syscall, 1 if cfg.get('CONFIG_BPF_SYSCALL') == 'y' else 0),
        ('CONFIG_BPF_JIT tristate', jit, tri.get(cfg.get('CONFIG_BPF_JIT'), 0)),
        ('CONFIG_HZ int', hz, int(cfg.get('CONFIG_HZ', '0'))),
        ('CONFIG_LOCALVERSION string', localversion, cfg.get('CONFIG_LOCALVERSION', '""').strip('"')),
        ('weak missing CONFIG_', no_such, 0),
        ('LINUX_HAS_BPF_COOKIE (Linux >= 5.15)', cookie, 1 if rel[:2] >= [5, 15] else cookie),
        ('LINUX_HAS_SYSCALL_WRAPPER (x86, Linux >= 4.17)', wrapper,
         1 if platform.machine() == 'x86_64' and rel[:2] >= [4, 17] else wrapper), ('weak kfunc absent', kfunc, 0),
        ('ksym _stext address', stext, ksyms.get('_stext')),
    ]
    bad = 0
    for name, got, want in checks:
        if got == want:
            print('ok %s' % name)
        else:
            print('FAIL %s: got %r, want %r' % (name, got, want))
            bad += 1
    return 1 if bad else 0


sys.exit(main())
