# Test helper: a loopback TCP transfer whose sender uses the congestion
# control named in argv[1] (setsockopt TCP_CONGESTION); prints the name the
# socket reports and the bytes received.
import socket, sys, threading

algo = sys.argv[1].encode()
total = int(sys.argv[2]) if len(sys.argv) > 2 else 16 << 20
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(1)
got = [0]

def sink():
    c, _ = srv.accept()
    while True:
        b = c.recv(1 << 16)
        if not b:
            break
        got[0] += len(b)
    c.close()

t = threading.Thread(target=sink)
t.start()
s = socket.socket()
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, algo)
s.connect(srv.getsockname())
used = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b"\0").decode()
chunk = b"x" * (1 << 16)
sent = 0
while sent < total:
    sent += s.send(chunk)
s.close()
t.join()
print(used, got[0])
