# Shell functions shared by the perf/ scenarios. Sourced, not executed.

# Waits for a UNIX socket to appear: $2 tenths of a second (default 300).
wait_socket() { for _ in $(seq "${2:-300}"); do [ -S "$1" ] && return 0; sleep 0.1; done; return 1; }

# One request over a vanswitch control socket (docs/control-protocol.md); prints the reply lines.
# A few lines of Python, not vanctl: a JVM start inside a measured window would disturb it.
perf_ctl() {
  python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(sys.argv[2].encode() + b"\n"); data = b""
while not (data.endswith(b"ok\n") or b"error\t" in data):
    chunk = s.recv(65536)
    if not chunk: break
    data += chunk
sys.stdout.write(data.decode())' "$1" "$2"
}
