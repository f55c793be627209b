# Test helper: opens a pinned BPF object (BPF_OBJ_GET through ctypes) and holds
# it for a while, so `rawbpf ... show` has a process to list under "pids".
#   python3 hold.py PIN SECONDS   (x86_64 syscall number 321 = bpf)
import ctypes, struct, sys, time
libc = ctypes.CDLL(None, use_errno=True)
path = ctypes.create_string_buffer(sys.argv[1].encode())
attr = ctypes.create_string_buffer(struct.pack("QII", ctypes.addressof(path), 0, 0) + bytes(128))
fd = libc.syscall(321, 7, attr, 144)
print(fd, flush=True)
time.sleep(float(sys.argv[2]))
