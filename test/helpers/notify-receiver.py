#!/usr/bin/env python3
"""Stands in for systemd's notification socket (sd_notify(3)): binds an AF_UNIX datagram socket,
prints each datagram as one JSON line {t, text, fds} and closes any file descriptors passed with
it (systemd-notify's BARRIER=1 waits until the manager closes the fd it sent)."""
import array, json, os, socket, sys, time

path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path)
print(json.dumps({"listening": path}), flush=True)
while True:
    msg, anc, _flags, _addr = s.recvmsg(65536, socket.CMSG_SPACE(16 * 4))
    fds = array.array("i")
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    for fd in fds:
        os.close(fd)
    print(json.dumps({"t": time.time() * 1000, "text": msg.decode("utf-8", "replace"), "fds": len(fds)}), flush=True)
