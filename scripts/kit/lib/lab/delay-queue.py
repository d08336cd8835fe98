#!/usr/bin/env python3
"""Holds every packet of one NFQUEUE queue for a delay (plus uniform jitter), then lets it go.

The network lab's delay for kernels without sch_netem (this project's machines): iptables sends a
lab host's packets to the queue (-j NFQUEUE --queue-num N --queue-bypass), this program answers
each with NF_ACCEPT once its time has come. Only the packet id crosses into user space (copy mode
META), so any packet rate a lab link carries is cheap. Standard library only: the nfnetlink_queue
protocol is a few fixed structs over a raw netlink socket.

Usage: delay-queue.py --queue N --delay-ms D [--jitter-ms J]   (run inside the namespace)
Prints "ready" once bound; exits on SIGTERM/SIGINT.
"""
import argparse
import heapq
import random
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT, NFQNL_MSG_CONFIG = 0, 1, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_MASK, NFQA_CFG_FLAGS = 1, 2, 4, 5
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NFQA_CFG_F_FAIL_OPEN = 1  # a full queue lets packets through instead of dropping them
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
NF_ACCEPT = 1


def attr(kind, payload):
    length = 4 + len(payload)
    return struct.pack('=HH', length, kind) + payload + b'\0' * ((4 - length % 4) % 4)


def message(msg_type, queue, attrs, flags=NLM_F_REQUEST):
    # nfgenmsg: family AF_UNSPEC, version 0, resource id = queue number (big-endian).
    body = struct.pack('=BBH', socket.AF_UNSPEC, 0, socket.htons(queue)) + b''.join(attrs)
    return struct.pack('=IHHII', 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, 0, 0) + body


def expect_ack(sock, what):
    data = sock.recv(65536)
    length, kind = struct.unpack_from('=IH', data)
    if kind == NLMSG_ERROR:
        (err,) = struct.unpack_from('=i', data, 16)
        if err != 0:
            sys.exit(f'delay-queue: {what} refused by the kernel (errno {-err})')


def packet_ids(data):
    """Packet ids of every NFQNL_MSG_PACKET in one recv (the kernel batches them)."""
    offset = 0
    while offset + 16 <= len(data):
        length, kind = struct.unpack_from('=IH', data, offset)
        if length < 16:
            break
        if kind == (NFNL_SUBSYS_QUEUE << 8) | NFQNL_MSG_PACKET:
            pos = offset + 20  # nlmsghdr (16) + nfgenmsg (4)
            while pos + 4 <= offset + length:
                alen, atype = struct.unpack_from('=HH', data, pos)
                if alen < 4:
                    break
                if atype & 0x7FFF == NFQA_PACKET_HDR:
                    yield struct.unpack_from('!I', data, pos + 4)[0]
                pos += (alen + 3) & ~3
        offset += (length + 3) & ~3


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--queue', type=int, required=True)
    parser.add_argument('--delay-ms', type=float, required=True)
    parser.add_argument('--jitter-ms', type=float, default=0.0)
    args = parser.parse_args()
    if not 0 <= args.queue <= 65535 or args.delay_ms < 0 or not 0 <= args.jitter_ms <= args.delay_ms:
        sys.exit('delay-queue: --queue 0-65535, --delay-ms >= 0, 0 <= --jitter-ms <= --delay-ms')

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    queue = args.queue
    sock.send(message(NFQNL_MSG_CONFIG, queue, [attr(NFQA_CFG_CMD, struct.pack('=BBH', NFQNL_CFG_CMD_BIND, 0, 0))], NLM_F_REQUEST | NLM_F_ACK))
    expect_ack(sock, f'binding queue {queue}')
    sock.send(message(NFQNL_MSG_CONFIG, queue, [attr(NFQA_CFG_PARAMS, struct.pack('!IB', 0, NFQNL_COPY_META))], NLM_F_REQUEST | NLM_F_ACK))
    expect_ack(sock, 'setting copy mode')
    flags = struct.pack('!I', NFQA_CFG_F_FAIL_OPEN)
    sock.send(message(NFQNL_MSG_CONFIG, queue, [attr(NFQA_CFG_FLAGS, flags), attr(NFQA_CFG_MASK, flags)], NLM_F_REQUEST | NLM_F_ACK))
    expect_ack(sock, 'setting fail-open')

    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print('ready', flush=True)

    held = []  # (release time, sequence, packet id): the sequence keeps equal times in arrival order
    seq = 0
    overflows = 0
    while running:
        now = time.monotonic()
        while held and held[0][0] <= now:
            _, _, pid = heapq.heappop(held)
            sock.send(message(NFQNL_MSG_VERDICT, queue, [attr(NFQA_VERDICT_HDR, struct.pack('!II', NF_ACCEPT, pid))]))
        timeout = max(0.0, held[0][0] - now) if held else 0.5
        try:
            ready, _, _ = select.select([sock], [], [], timeout)
        except InterruptedError:
            continue
        if not ready:
            continue
        try:
            data = sock.recv(1 << 16)
        except OSError as err:  # ENOBUFS: the kernel dropped queue messages; the packets fail open
            overflows += 1
            continue
        for pid in packet_ids(data):
            hold = args.delay_ms + random.uniform(-args.jitter_ms, args.jitter_ms)
            heapq.heappush(held, (time.monotonic() + hold / 1000.0, seq, pid))
            seq += 1
    # Let everything still held go at once rather than strand it.
    for _, _, pid in held:
        sock.send(message(NFQNL_MSG_VERDICT, queue, [attr(NFQA_VERDICT_HDR, struct.pack('!II', NF_ACCEPT, pid))]))
    if overflows:
        print(f'delay-queue: {overflows} receive overflows', file=sys.stderr)


if __name__ == '__main__':
    main()
