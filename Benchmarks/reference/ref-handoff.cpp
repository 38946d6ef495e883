// ref-handoff: the cost of quarryd's architecture with no Swift, no NIO and no Xapian in it.
//
// A minimal HTTP/1.1 keep-alive server on a Unix socket, in raw C++ (epoll): each request is answered after
// WORK microseconds of busy CPU work (a stand-in for a search) with a fixed ~2.5 kB JSON body. With
// --mode inline the work runs on the event-loop thread; with --mode handoff it runs on a worker thread, as in
// quarryd: one hop to the worker (which polls for --spin-us before it sleeps, like worker_spin_microseconds),
// one hop back (an eventfd wakes the event loop), then the event loop writes the response.
//
// Driven by ref-load, `p50 − WORK` is the least any event-loop-plus-worker daemon can add to a search on this
// machine (handoff), and what answering on the event loop would add (inline): the yardstick for quarryd's
// "socket p50 − in-process p50" (Benchmarks/bench --only query).
//
//   ref-handoff SOCKET [--mode inline|handoff] [--work-us 500] [--workers 2] [--spin-us 250]
//
// Runs until SIGINT/SIGTERM. Build: g++ -O2 -std=c++17 -pthread ref-handoff.cpp -o ref-handoff

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <mutex>
#include <sched.h>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

std::atomic<bool> stopping{false};

void burn(long microseconds) {
    const auto until = Clock::now() + std::chrono::microseconds(microseconds);
    while (Clock::now() < until) {
    }
}

std::string makeResponse(long workMicroseconds) {
    std::string body = "{\"tookMicroseconds\":" + std::to_string(workMicroseconds) + ",\"hits\":[";
    for (int i = 0; i < 10; ++i) {
        if (i) body += ",";
        body += "{\"rank\":" + std::to_string(i + 1) + ",\"id\":\"doc-" + std::to_string(i) +
                "\",\"title\":\"" + std::string(180, 'x') + "\",\"score\":12.5}";
    }
    body += "]}";
    return "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + std::to_string(body.size()) +
           "\r\n\r\n" + body;
}

struct Connection {
    std::string in;
    bool busy = false;  // a request is being worked on: the next one waits (no pipelining)
};

// Workers take fds from `jobs`, burn, and put them on `done`; the event loop is woken through `wake`.
struct Pool {
    std::mutex lock;
    std::condition_variable ready;
    std::deque<int> jobs;
    std::atomic<int> pending{0};
    std::mutex doneLock;
    std::vector<int> done;
    int wake = -1;
    long work = 0;
    long spin = 0;

    void submit(int fd) {
        {
            std::lock_guard<std::mutex> guard(lock);
            jobs.push_back(fd);
            pending.fetch_add(1, std::memory_order_release);
        }
        ready.notify_one();
    }

    void run() {
        while (!stopping.load()) {
            // Poll before sleeping, as quarryd's workers do.
            const auto until = Clock::now() + std::chrono::microseconds(spin);
            while (pending.load(std::memory_order_acquire) == 0 && Clock::now() < until) sched_yield();
            int fd;
            {
                std::unique_lock<std::mutex> guard(lock);
                ready.wait_for(guard, std::chrono::milliseconds(100), [&] { return !jobs.empty(); });
                if (jobs.empty()) continue;
                fd = jobs.front();
                jobs.pop_front();
                pending.fetch_sub(1, std::memory_order_relaxed);
            }
            burn(work);
            {
                std::lock_guard<std::mutex> guard(doneLock);
                done.push_back(fd);
            }
            const uint64_t one = 1;
            if (write(wake, &one, sizeof one) < 0) perror("eventfd write");
        }
    }
};

bool writeAll(int fd, const std::string &bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            std::this_thread::yield();  // a full socket buffer: rare with ~2.5 kB responses
        } else {
            return false;
        }
    }
    return true;
}

}  // namespace

int main(int argc, char **argv) {
    if (argc < 2 || std::string(argv[1]) == "--help") {
        std::cerr << "usage: ref-handoff SOCKET [--mode inline|handoff] [--work-us 500] [--workers 2] [--spin-us 250]\n";
        return argc < 2 ? 2 : 0;
    }
    const std::string path = argv[1];
    std::string mode = "handoff";
    long work = 500, spin = 250;
    int workers = 2;
    for (int i = 2; i < argc; ++i) {
        const std::string arg = argv[i];
        const char *value = i + 1 < argc ? argv[i + 1] : nullptr;
        if (!value) {
            std::cerr << "ref-handoff: " << arg << " needs a value\n";
            return 2;
        }
        if (arg == "--mode") mode = value;
        else if (arg == "--work-us") work = std::atol(value);
        else if (arg == "--workers") workers = std::atoi(value);
        else if (arg == "--spin-us") spin = std::atol(value);
        else {
            std::cerr << "ref-handoff: unknown option " << arg << "\n";
            return 2;
        }
        ++i;
    }
    if (mode != "inline" && mode != "handoff") {
        std::cerr << "ref-handoff: --mode is inline or handoff\n";
        return 2;
    }
    std::signal(SIGINT, [](int) { stopping = true; });
    std::signal(SIGTERM, [](int) { stopping = true; });

    const int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) {
        std::cerr << "ref-handoff: socket path too long\n";
        return 2;
    }
    std::strcpy(address.sun_path, path.c_str());
    unlink(path.c_str());
    if (bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || listen(listener, 64) != 0) {
        perror("ref-handoff: bind/listen");
        return 1;
    }

    const std::string response = makeResponse(work);
    Pool pool;
    pool.work = work;
    pool.spin = spin;
    pool.wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    std::vector<std::thread> threads;
    if (mode == "handoff")
        for (int i = 0; i < workers; ++i) threads.emplace_back([&pool] { pool.run(); });

    const int epoll = epoll_create1(EPOLL_CLOEXEC);
    auto watch = [&](int fd) {
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.fd = fd;
        epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
    };
    watch(listener);
    watch(pool.wake);
    std::unordered_map<int, Connection> connections;
    std::vector<int> finished;

    auto closeConnection = [&](int fd) {
        epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
        close(fd);
        connections.erase(fd);
    };
    // Starts the next complete request of a connection, if it has one and none is in progress.
    auto serve = [&](int fd) {
        Connection &connection = connections[fd];
        if (connection.busy) return;
        const size_t end = connection.in.find("\r\n\r\n");
        if (end == std::string::npos) return;
        connection.in.erase(0, end + 4);
        if (mode == "inline") {
            burn(work);
            if (!writeAll(fd, response)) closeConnection(fd);
        } else {
            connection.busy = true;
            pool.submit(fd);
        }
    };

    epoll_event events[64];
    char buffer[64 * 1024];
    while (!stopping.load()) {
        const int count = epoll_wait(epoll, events, 64, 200);
        for (int i = 0; i < count; ++i) {
            const int fd = events[i].data.fd;
            if (fd == listener) {
                int client;
                while ((client = accept4(listener, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    connections[client] = Connection{};
                    watch(client);
                }
            } else if (fd == pool.wake) {
                uint64_t ignored;
                if (read(pool.wake, &ignored, sizeof ignored) < 0 && errno != EAGAIN) perror("eventfd read");
                {
                    std::lock_guard<std::mutex> guard(pool.doneLock);
                    finished.swap(pool.done);
                }
                for (int done : finished) {
                    auto found = connections.find(done);
                    if (found == connections.end()) continue;
                    found->second.busy = false;
                    if (!writeAll(done, response)) {
                        closeConnection(done);
                        continue;
                    }
                    serve(done);  // a request that arrived meanwhile
                }
                finished.clear();
            } else {
                const ssize_t n = read(fd, buffer, sizeof buffer);
                if (n <= 0) {
                    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
                    if (connections[fd].busy) {
                        // Its worker still holds the fd number: let it finish, then drop the answer.
                        epoll_ctl(epoll, EPOLL_CTL_DEL, fd, nullptr);
                        shutdown(fd, SHUT_RDWR);
                        continue;
                    }
                    closeConnection(fd);
                    continue;
                }
                connections[fd].in.append(buffer, static_cast<size_t>(n));
                serve(fd);
            }
        }
    }
    stopping = true;
    pool.ready.notify_all();
    for (auto &thread : threads) thread.join();
    unlink(path.c_str());
    return 0;
}
