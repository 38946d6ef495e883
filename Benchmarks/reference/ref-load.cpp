// ref-load: a small closed-loop load generator for quarryd over its Unix socket (HTTP/1.1, keep-alive).
//
// Each client thread opens ONE connection and, without pause, sends
//   GET /search?q=<percent-encoded query>&limit=L&snippets=S HTTP/1.1\r\nHost: quarry\r\n\r\n
// cycling through the queries of a queries.tsv (qid<TAB>text; a line without a tab is all query; an optional
// third column, URL-encoded, is appended to the request: &category=..&from=..&to=..&sort=..), client c
// starting at query c * N / clients so concurrent clients don't ask the same thing in lock-step. It reads each
// full response (Content-Length, or chunked transfer coding), times it with steady_clock from just before the
// request is written to the last byte of the body, and counts every non-200 answer as an error (--expect
// another status, e.g. 404 with --path /nowhere to time the bare HTTP round trip).
//
// A warm-up (--warmup seconds, all clients, not measured) comes first; then the measured phase runs for
// --duration seconds, or until --requests requests (across all clients) have completed. A request counts
// when it starts inside the measured phase; "seconds" runs from the start of that phase to the last completion.
//
//   ref-load SOCKET QUERIES.tsv [--clients N] [--duration S | --requests N] [--limit 10] [--snippets false]
//            [--warmup 1] [--path /search] [--timeout 30] [--pid SERVER_PID] [--expect 200]
//
// Prints one JSON line: {"clients","requests","errors","seconds","qps","p50_us","p95_us","p99_us","mean_us",
// "max_us","reconnects","took_p50_us","took_mean_us","client_cpu_us_per_request","bytes","status_counts":{...}}.
// Latencies are of every measured response (errors included). took_* summarise the "tookMicroseconds" of
// quarryd's answers (its own timing around the search, without HTTP, hops and JSON encoding);
// client_cpu_us_per_request is this program's CPU time (all threads) per measured request, client_cpu_cores
// that time over the measured seconds; with --pid, server_cpu_us_per_request and server_cpu_cores are the
// same for the server process (from /proc/PID/stat, 10 ms ticks). Exits 1 if it cannot connect, or if every measured request failed.
//
// Build: g++ -O2 -std=c++17 -pthread ref-load.cpp -o ref-load   (no other dependencies)

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
    std::string socket, queries;
    int clients = 1;
    double duration = 10;
    long requests = 0;  // > 0: stop after this many measured requests instead of after --duration
    int limit = 10;
    std::string snippets = "false";
    double warmup = 1;
    std::string path = "/search";
    double timeout = 30;
    int expect = 200;  // the status that is not an error
    long pid = 0;  // the server's process id: its CPU time over the measured phase is reported too
};

[[noreturn]] void usage(int code) {
    (code ? std::cerr : std::cout)
        << "usage: ref-load SOCKET QUERIES.tsv [--clients N] [--duration S | --requests N] [--limit 10]\n"
           "                [--snippets false] [--warmup 1] [--path /search] [--timeout 30] [--pid SERVER_PID]\n"
           "                [--expect 200]\n"
           "Closed-loop HTTP/1.1 keep-alive load on quarryd's Unix socket, one connection per client thread;\n"
           "prints clients, requests, errors, seconds, qps, p50/p95/p99/mean latency (us) as one JSON line.\n";
    std::exit(code);
}

// RFC 3986 unreserved characters stay; every other byte becomes %XX.
std::string percentEncode(const std::string &s) {
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    out.reserve(s.size() * 3);
    for (unsigned char c : s) {
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

int connectTo(const std::string &path, double timeout) {
    int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    if (path.size() >= sizeof addr.sun_path) {
        ::close(fd);
        errno = ENAMETOOLONG;
        return -1;
    }
    std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0) {
        int e = errno;
        ::close(fd);
        errno = e;
        return -1;
    }
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout);
    tv.tv_usec = static_cast<suseconds_t>((timeout - std::floor(timeout)) * 1e6);
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return fd;
}

bool sendAll(int fd, const std::string &data) {
    size_t sent = 0;
    while (sent < data.size()) {
        ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<size_t>(n);
    }
    return true;
}

// One connection's read side: a buffer that survives between responses (should the server send ahead).
struct Reader {
    int fd = -1;
    std::string buf;
    size_t pos = 0;  // start of unconsumed bytes

    bool fill() {
        if (pos > 0 && pos == buf.size()) {
            buf.clear();
            pos = 0;
        } else if (pos > 65536) {
            buf.erase(0, pos);
            pos = 0;
        }
        char tmp[65536];
        for (;;) {
            ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            buf.append(tmp, static_cast<size_t>(n));
            return true;
        }
    }

    // A line ending in CRLF (returned without it), reading more as needed.
    bool line(std::string &out) {
        for (;;) {
            size_t e = buf.find("\r\n", pos);
            if (e != std::string::npos) {
                out.assign(buf, pos, e - pos);
                pos = e + 2;
                return true;
            }
            if (!fill()) return false;
        }
    }

    bool skip(size_t n) {
        while (buf.size() - pos < n) {
            n -= buf.size() - pos;
            pos = buf.size();
            if (!fill()) return false;
        }
        pos += n;
        return true;
    }
};

std::string lower(std::string s) {
    for (char &c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

struct Response {
    int status = 0;
    size_t bodyBytes = 0;
    bool close = false;
    long took = -1;  // the body's "tookMicroseconds" (quarryd's own timing of the search), if any
};

// quarryd's "tookMicroseconds":N in a body (its time inside Searcher.search), or -1.
long tookIn(const char *body, size_t size) {
    static const std::string key = "\"tookMicroseconds\":";
    const char *end = body + size;
    const char *at = std::search(body, end, key.begin(), key.end());
    if (at == end) return -1;
    return std::strtol(at + key.size(), nullptr, 10);
}

// Reads one whole response. False when the connection broke or the response is malformed.
bool readResponse(Reader &r, Response &resp) {
    std::string l;
    do {  // skip interim 1xx responses
        if (!r.line(l)) return false;
        if (l.compare(0, 5, "HTTP/") != 0 || l.size() < 12) return false;
        resp.status = std::atoi(l.c_str() + 9);
        long length = -1;
        bool chunked = false;
        resp.close = l.compare(0, 8, "HTTP/1.0") == 0;
        for (;;) {
            if (!r.line(l)) return false;
            if (l.empty()) break;
            size_t colon = l.find(':');
            if (colon == std::string::npos) continue;
            std::string name = lower(l.substr(0, colon));
            size_t v = l.find_first_not_of(" \t", colon + 1);
            std::string value = v == std::string::npos ? "" : l.substr(v);
            if (name == "content-length") length = std::strtol(value.c_str(), nullptr, 10);
            else if (name == "transfer-encoding") chunked = lower(value).find("chunked") != std::string::npos;
            else if (name == "connection") {
                std::string lv = lower(value);
                if (lv.find("close") != std::string::npos) resp.close = true;
                if (lv.find("keep-alive") != std::string::npos) resp.close = false;
            }
        }
        if (resp.status >= 100 && resp.status < 200) continue;
        resp.bodyBytes = 0;
        if (chunked) {
            for (;;) {
                if (!r.line(l)) return false;
                size_t size = std::strtoul(l.c_str(), nullptr, 16);
                if (size == 0) {
                    do {  // trailers, up to the empty line
                        if (!r.line(l)) return false;
                    } while (!l.empty());
                    break;
                }
                if (!r.skip(size + 2)) return false;
                resp.bodyBytes += size;
            }
        } else if (length >= 0) {
            // Read the whole body into the buffer (to find "tookMicroseconds"), then consume it.
            while (r.buf.size() - r.pos < static_cast<size_t>(length))
                if (!r.fill()) return false;
            resp.took = tookIn(r.buf.data() + r.pos, static_cast<size_t>(length));
            r.pos += static_cast<size_t>(length);
            resp.bodyBytes = static_cast<size_t>(length);
        } else {
            // No length: the body runs to the end of the connection.
            while (r.fill()) {}
            resp.bodyBytes = r.buf.size() - r.pos;
            r.pos = r.buf.size();
            resp.close = true;
        }
        return true;
    } while (true);
}

double percentile(const std::vector<double> &sorted, double p) {
    if (sorted.empty()) return 0;
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * sorted.size()));  // nearest rank
    if (rank < 1) rank = 1;
    return sorted[std::min(rank, sorted.size()) - 1];
}

std::string num(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.1f", std::round(v * 10) / 10);
    return b;
}

// utime + stime of another process, from /proc/PID/stat (fields 14 and 15, after the parenthesised name); -1 if unreadable.
double processCPUSeconds(long pid) {
    if (pid <= 0) return -1;
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t close = stat.rfind(')');
    if (close == std::string::npos) return -1;
    std::vector<std::string> fields;  // fields[0] is field 3 (state)
    size_t i = close + 2;
    while (i < stat.size() && fields.size() < 13) {
        size_t sp = stat.find(' ', i);
        fields.push_back(stat.substr(i, sp == std::string::npos ? std::string::npos : sp - i));
        if (sp == std::string::npos) break;
        i = sp + 1;
    }
    if (fields.size() < 13) return -1;
    const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
    return (std::atof(fields[11].c_str()) + std::atof(fields[12].c_str())) / ticks;
}

double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

std::string num2(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.2f", v);
    return b;
}

struct ClientResult {
    std::vector<double> latencies;  // microseconds
    std::vector<double> took;       // quarryd's tookMicroseconds, where the response had one
    long errors = 0, reconnects = 0, failures = 0;
    size_t bytes = 0;
    Clock::time_point lastDone{};
    std::map<int, long> statuses;
    std::string firstProblem;
};

}  // namespace

int main(int argc, char **argv) {
    Options o;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "ref-load: " << arg << " needs a value\n";
                usage(2);
            }
            return argv[++i];
        };
        if (arg == "-h" || arg == "--help") usage(0);
        else if (arg == "--clients") o.clients = std::atoi(value().c_str());
        else if (arg == "--duration") o.duration = std::atof(value().c_str());
        else if (arg == "--requests") o.requests = std::atol(value().c_str());
        else if (arg == "--limit") o.limit = std::atoi(value().c_str());
        else if (arg == "--snippets") o.snippets = value();
        else if (arg == "--warmup") o.warmup = std::atof(value().c_str());
        else if (arg == "--path") o.path = value();
        else if (arg == "--timeout") o.timeout = std::atof(value().c_str());
        else if (arg == "--pid") o.pid = std::atol(value().c_str());
        else if (arg == "--expect") o.expect = std::atoi(value().c_str());
        else if (arg.size() > 1 && arg[0] == '-') {
            std::cerr << "ref-load: unknown option " << arg << "\n";
            usage(2);
        } else positional.push_back(arg);
    }
    if (positional.size() != 2 || o.clients < 1 || o.clients > 1024 || o.duration <= 0 || o.requests < 0 ||
        o.warmup < 0 || o.timeout <= 0 || (o.snippets != "true" && o.snippets != "false"))
        usage(2);
    o.socket = positional[0];
    o.queries = positional[1];
    std::signal(SIGPIPE, SIG_IGN);

    // The requests, encoded once.
    std::vector<std::string> requests;
    {
        std::ifstream in(o.queries);
        if (!in) {
            std::cerr << "ref-load: cannot open " << o.queries << "\n";
            return 1;
        }
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty() && line.back() == '\r') line.pop_back();
            size_t tab = line.find('\t');
            std::string text = tab == std::string::npos ? line : line.substr(tab + 1);
            // A third column holds more parameters, already URL-encoded (category=..&from=..&sort=..).
            std::string params;
            size_t tab2 = text.find('\t');
            if (tab2 != std::string::npos) {
                params = text.substr(tab2 + 1);
                text = text.substr(0, tab2);
            }
            if (text.find_first_not_of(" \t") == std::string::npos && params.empty()) continue;
            requests.push_back("GET " + o.path + "?q=" + percentEncode(text) + "&limit=" + std::to_string(o.limit) +
                               "&snippets=" + o.snippets + (params.empty() ? "" : "&" + params) +
                               " HTTP/1.1\r\nHost: quarry\r\n\r\n");
        }
    }
    if (requests.empty()) {
        std::cerr << "ref-load: no queries in " << o.queries << "\n";
        return 1;
    }

    // Connect every client up front: a server that isn't there fails fast.
    std::vector<int> fds(o.clients, -1);
    for (int c = 0; c < o.clients; ++c) {
        fds[c] = connectTo(o.socket, o.timeout);
        if (fds[c] < 0) {
            std::cerr << "ref-load: cannot connect to " << o.socket << ": " << std::strerror(errno) << "\n";
            for (int fd : fds)
                if (fd >= 0) ::close(fd);
            return 1;
        }
    }

    const auto begin = Clock::now();
    const auto measureFrom = begin + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.warmup));
    const auto measureUntil =
        measureFrom + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration));
    // --requests: tickets for the measured requests (the duration is then no limit; the per-request timeout is).
    std::atomic<long> tickets{o.requests};
    std::atomic<bool> abort{false};
    std::vector<ClientResult> results(o.clients);
    const size_t n = requests.size();

    auto client = [&](int c) {
        ClientResult &res = results[c];
        Reader r;
        r.fd = fds[c];
        size_t next = static_cast<size_t>(c) * n / static_cast<size_t>(o.clients);
        res.latencies.reserve(o.requests > 0 ? static_cast<size_t>(o.requests / o.clients + 16) : 1 << 16);
        int consecutiveFailures = 0;
        while (!abort.load(std::memory_order_relaxed)) {
            const auto t0 = Clock::now();
            bool measured = t0 >= measureFrom;
            if (o.requests > 0) {
                if (measured && tickets.fetch_sub(1, std::memory_order_relaxed) <= 0) break;
            } else if (t0 >= measureUntil) {
                break;
            }
            const std::string &req = requests[next];
            next = (next + 1) % n;
            if (r.fd < 0) {
                r.fd = connectTo(o.socket, o.timeout);
                r.buf.clear();
                r.pos = 0;
                ++res.reconnects;
                if (r.fd < 0) {
                    if (res.firstProblem.empty())
                        res.firstProblem = std::string("reconnect failed: ") + std::strerror(errno);
                    if (measured) ++res.errors;
                    if (++consecutiveFailures > 100) abort = true;
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
                    continue;
                }
            }
            Response resp;
            bool ok = sendAll(r.fd, req) && readResponse(r, resp);
            const auto t1 = Clock::now();
            if (!ok) {
                if (res.firstProblem.empty()) res.firstProblem = "connection broke or malformed response";
                ::close(r.fd);
                r.fd = -1;
                if (measured) {
                    ++res.errors;
                    ++res.failures;
                }
                if (++consecutiveFailures > 100) abort = true;
                continue;
            }
            consecutiveFailures = 0;
            if (measured) {
                res.latencies.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
                if (resp.took >= 0) res.took.push_back(static_cast<double>(resp.took));
                res.bytes += resp.bodyBytes;
                res.lastDone = t1;
                ++res.statuses[resp.status];
                if (resp.status != o.expect) {
                    ++res.errors;
                    if (res.firstProblem.empty()) res.firstProblem = "HTTP " + std::to_string(resp.status);
                }
            }
            if (resp.close) {
                ::close(r.fd);
                r.fd = -1;
            }
        }
        if (r.fd >= 0) ::close(r.fd);
    };

    std::vector<std::thread> threads;
    threads.reserve(o.clients);
    for (int c = 0; c < o.clients; ++c) threads.emplace_back(client, c);
    // This process's own CPU time over the measured phase: on a small machine the load generator competes
    // with the server for the same cores.
    std::this_thread::sleep_until(measureFrom);
    const double cpuFrom = cpuSeconds(), serverFrom = processCPUSeconds(o.pid);
    for (auto &t : threads) t.join();
    const double cpuUsed = cpuSeconds() - cpuFrom;
    const double serverTo = processCPUSeconds(o.pid);
    const double serverUsed = serverFrom >= 0 && serverTo >= 0 ? serverTo - serverFrom : -1;

    std::vector<double> all, took;
    long errors = 0, reconnects = 0, failures = 0;
    size_t bytes = 0;
    Clock::time_point last = measureFrom;
    std::map<int, long> statuses;
    std::string problem;
    for (auto &r : results) {
        all.insert(all.end(), r.latencies.begin(), r.latencies.end());
        took.insert(took.end(), r.took.begin(), r.took.end());
        errors += r.errors;
        reconnects += r.reconnects;
        failures += r.failures;
        bytes += r.bytes;
        for (auto &[status, count] : r.statuses) statuses[status] += count;
        if (r.lastDone > last) last = r.lastDone;
        if (problem.empty()) problem = r.firstProblem;
    }
    std::sort(all.begin(), all.end());
    std::sort(took.begin(), took.end());
    double tookSum = 0;
    for (double t : took) tookSum += t;
    const long completed = static_cast<long>(all.size());
    const long total = completed + failures;
    const double seconds = std::chrono::duration<double>(last - measureFrom).count();
    double sum = 0;
    for (double l : all) sum += l;

    char secs[32];
    std::snprintf(secs, sizeof secs, "%.4f", seconds);
    std::cout << "{\"clients\":" << o.clients << ",\"requests\":" << total << ",\"errors\":" << errors
              << ",\"seconds\":" << secs << ",\"qps\":" << num(seconds > 0 ? completed / seconds : 0)
              << ",\"p50_us\":" << num(percentile(all, 50)) << ",\"p95_us\":" << num(percentile(all, 95))
              << ",\"p99_us\":" << num(percentile(all, 99)) << ",\"mean_us\":" << num(all.empty() ? 0 : sum / all.size())
              << ",\"max_us\":" << num(all.empty() ? 0 : all.back()) << ",\"reconnects\":" << reconnects
              << ",\"took_p50_us\":" << num(percentile(took, 50))
              << ",\"took_mean_us\":" << num(took.empty() ? 0 : tookSum / took.size())
              << ",\"client_cpu_us_per_request\":" << num(completed ? cpuUsed * 1e6 / completed : 0)
              << ",\"client_cpu_cores\":" << num2(seconds > 0 ? cpuUsed / seconds : 0);
    if (serverUsed >= 0)
        std::cout << ",\"server_cpu_us_per_request\":" << num(completed ? serverUsed * 1e6 / completed : 0)
                  << ",\"server_cpu_cores\":" << num2(seconds > 0 ? serverUsed / seconds : 0);
    std::cout << ",\"bytes\":" << bytes << ",\"queries\":" << n << ",\"warmup_s\":" << num(o.warmup)
              << ",\"status_counts\":{";
    bool first = true;
    for (auto &[status, count] : statuses) {
        std::cout << (first ? "" : ",") << "\"" << status << "\":" << count;
        first = false;
    }
    std::cout << "}}" << std::endl;
    if (!problem.empty()) std::cerr << "ref-load: first problem: " << problem << "\n";
    if (abort) std::cerr << "ref-load: gave up after repeated connection failures\n";
    return (completed == 0 || errors == total) ? 1 : 0;
}
