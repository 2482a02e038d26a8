/*
 * blast: replay the frames of a pcap file on the loopback interface through an AF_PACKET socket,
 * sendmmsg() in batches, at a target rate. A sender faster than tcpreplay for the live-capture
 * benchmark (bench/live-drops.sh); not part of finwait. Linux only; needs root (CAP_NET_RAW).
 *
 *   blast [-i IFACE] [-r PPS] [-n COUNT] [-t SECONDS] [-b BATCH] FILE.pcap
 *
 *   -i  interface (default lo); it must be a loopback interface: nothing leaves the machine
 *   -r  packets per second, paced by clock_gettime(CLOCK_MONOTONIC); 0 = as fast as possible (default)
 *   -n  send at most COUNT frames (default: every frame of the file, once)
 *   -t  stop after SECONDS (default 120)
 *   -b  frames per sendmmsg() call (default 64; at a paced rate fewer, so that a batch lasts ~50 us)
 *
 * Prints one line: "blast: SENT frames sent in S s, R packets/s (asked: ...)" and exit 0. The file's
 * link type must be Ethernet (1): the frames are sent as they are, link header included.
 * Classic pcap only (magic a1b2c3d4 or a1b23c4d, either byte order), not pcapng.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FILE_HEADER 24
#define RECORD_HEADER 16
#define MAX_BATCH 1024

static void die(const char *what) {
    fprintf(stderr, "blast: %s\n", what);
    exit(2);
}

static uint32_t u32(const unsigned char *p, int swap) {
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

static double now_s(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static void sleep_until(double when) {
    struct timespec t;
    t.tv_sec = (time_t)when;
    t.tv_nsec = (long)((when - (double)t.tv_sec) * 1e9);
    if (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {
    }
}

int main(int argc, char **argv) {
    const char *ifname = "lo";
    double rate = 0, max_s = 120;
    long max_count = -1;
    int batch = 0, opt;
    while ((opt = getopt(argc, argv, "i:r:n:t:b:")) != -1) {
        switch (opt) {
        case 'i': ifname = optarg; break;
        case 'r': rate = atof(optarg); break;
        case 'n': max_count = atol(optarg); break;
        case 't': max_s = atof(optarg); break;
        case 'b': batch = atoi(optarg); break;
        default:
            fprintf(stderr, "usage: blast [-i IFACE] [-r PPS] [-n COUNT] [-t SECONDS] [-b BATCH] FILE.pcap\n");
            return 2;
        }
    }
    if (optind != argc - 1) {
        die("one pcap file expected (usage: blast [-i IFACE] [-r PPS] [-n COUNT] [-t SECONDS] [-b BATCH] FILE.pcap)");
    }
    if (rate < 0 || max_s <= 0 || batch < 0 || batch > MAX_BATCH) {
        die("bad option value: -r >= 0, -t > 0, -b 1..1024");
    }
    if (batch == 0) {
        batch = 64;
        if (rate > 0) { /* a batch of at most ~50 us at the asked rate: bursts stay short */
            int b = (int)(rate / 20000);
            batch = b < 1 ? 1 : (b > 64 ? 64 : b);
        }
    }

    int fd = open(argv[optind], O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "blast: cannot open %s: %s\n", argv[optind], strerror(errno));
        return 2;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < FILE_HEADER) {
        die("not a pcap file (too short)");
    }
    size_t size = (size_t)st.st_size;
    unsigned char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map == MAP_FAILED) {
        die("cannot map the file");
    }
    close(fd);
    uint32_t magic;
    memcpy(&magic, map, 4);
    int swap;
    if (magic == 0xa1b2c3d4u || magic == 0xa1b23c4du) {
        swap = 0;
    } else if (magic == 0xd4c3b2a1u || magic == 0x4d3cb2a1u) {
        swap = 1;
    } else {
        die("not a classic pcap file (pcapng is not read; convert with editcap -F pcap)");
    }
    uint32_t linktype = u32(map + 20, swap) & 0x0fffffffu;
    if (linktype != 1) {
        fprintf(stderr, "blast: link type %u, not Ethernet (1): frames cannot be sent as they are\n", linktype);
        return 2;
    }

    /* Index the frames: offset and captured length of each record. */
    size_t cap = 1 << 20, count = 0, off = FILE_HEADER;
    size_t *offs = malloc(cap * sizeof *offs);
    uint32_t *lens = malloc(cap * sizeof *lens);
    if (!offs || !lens) {
        die("out of memory");
    }
    while (off + RECORD_HEADER <= size && (max_count < 0 || (long)count < max_count)) {
        uint32_t incl = u32(map + off + 8, swap);
        if (off + RECORD_HEADER + incl > size) {
            fprintf(stderr, "blast: record %zu is cut short; sending the %zu before it\n", count + 1, count);
            break;
        }
        if (count == cap) {
            cap *= 2;
            offs = realloc(offs, cap * sizeof *offs);
            lens = realloc(lens, cap * sizeof *lens);
            if (!offs || !lens) {
                die("out of memory");
            }
        }
        offs[count] = off + RECORD_HEADER;
        lens[count] = incl;
        count++;
        off += RECORD_HEADER + incl;
    }

    int s = socket(AF_PACKET, SOCK_RAW, 0); /* protocol 0: this socket receives nothing */
    if (s < 0) {
        fprintf(stderr, "blast: cannot open a packet socket: %s (needs root or CAP_NET_RAW)\n", strerror(errno));
        return 2;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (strlen(ifname) >= sizeof ifr.ifr_name) {
        die("interface name too long");
    }
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) {
        fprintf(stderr, "blast: no such interface '%s'\n", ifname);
        return 2;
    }
    if (!(ifr.ifr_flags & IFF_LOOPBACK)) {
        fprintf(stderr, "blast: '%s' is not a loopback interface; blast sends to loopback only\n", ifname);
        return 2;
    }
    if (ioctl(s, SIOCGIFINDEX, &ifr) != 0) {
        die("cannot get the interface index");
    }
    struct sockaddr_ll addr;
    memset(&addr, 0, sizeof addr);
    addr.sll_family = AF_PACKET;
    addr.sll_protocol = 0;
    addr.sll_ifindex = ifr.ifr_ifindex;
    if (bind(s, (struct sockaddr *)&addr, sizeof addr) != 0) {
        fprintf(stderr, "blast: cannot bind to '%s': %s\n", ifname, strerror(errno));
        return 2;
    }

    static struct mmsghdr msgs[MAX_BATCH];
    static struct iovec iov[MAX_BATCH];
    double t0 = now_s(), deadline = t0 + max_s;
    size_t sent = 0;
    long errors = 0;
    while (sent < count) {
        double t = now_s();
        if (t >= deadline) {
            break;
        }
        if (rate > 0) {
            double due = t0 + (double)sent / rate;
            if (due > t) {
                sleep_until(due < deadline ? due : deadline);
                continue; /* re-check the deadline */
            }
        }
        int n = (int)(count - sent < (size_t)batch ? count - sent : (size_t)batch);
        for (int i = 0; i < n; i++) {
            iov[i].iov_base = map + offs[sent + i];
            iov[i].iov_len = lens[sent + i];
            memset(&msgs[i].msg_hdr, 0, sizeof msgs[i].msg_hdr);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
        }
        int done = sendmmsg(s, msgs, (unsigned)n, 0);
        if (done < 0) {
            if (errno == ENOBUFS || errno == EAGAIN || errno == EINTR) {
                errors++;
                continue; /* the same batch again (bounded by the deadline) */
            }
            fprintf(stderr, "blast: sendmmsg: %s (after %zu frames)\n", strerror(errno), sent);
            return 1;
        }
        sent += (size_t)done;
    }
    double elapsed = now_s() - t0;
    char asked[64];
    if (rate > 0) {
        snprintf(asked, sizeof asked, "%.0f packets/s", rate);
    } else {
        snprintf(asked, sizeof asked, "as fast as possible");
    }
    printf("blast: %zu frames sent in %.3f s, %.0f packets/s (asked: %s, batch %d, %zu frames in the file%s; %ld retries)\n",
           sent, elapsed, elapsed > 0 ? sent / elapsed : 0.0, asked, batch, count,
           sent < count ? ", stopped by -t" : "", errors);
    munmap(map, size);
    return 0;
}
