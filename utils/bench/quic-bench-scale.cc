/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-bench-scale: N concurrent QUIC connections from one client node to one server node
// through a QuicNat that rebinds every binding every --rebind (10 s), for --duration (30 s)
// simulated (network: bench-net.h).
//
// Timeline: connection attempts spread over [1 s, 1 s + --spread); all connections idle until
// --idle-until (5 s), where the resident set size is sampled again (memory per idle established
// connection = RSS delta since 0.5 s / N; it covers both the client and the server connection
// and the NAT state); then every connection sends a --request-size request every --interval
// until the end, so that each NAT rebinding is seen by the server (RFC 9000 §9.3).
//
// Prints a summary and one "BENCH {json}" line. Exit status 0 only if every connection was
// established and still open at the end.

#include "bench-common.h"
#include "bench-net.h"

#include <cstdio>
#include <iostream>

using namespace ns3;
using namespace quicbench;

namespace
{

uint64_t g_rebinds = 0; //!< NAT Rebind trace calls

/// Snapshot of the process at a simulation time.
struct Sample
{
    double wall{0};          //!< wall seconds since Run()
    double cpu{0};           //!< CPU seconds since Run()
    uint64_t rss{0};         //!< current RSS KiB
    uint64_t heap{0};        //!< heap bytes in use (malloc), KiB
    uint32_t established{0}; //!< established client connections
};

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 1000;
    double duration = 30;
    double rebind = 10;
    double interval = 2;
    double spread = 2;
    double idleUntil = 5;
    uint32_t sockets = 100;
    uint32_t requestSize = 100;

    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "Concurrent connections", n);
    cmd.AddValue("duration", "Simulated seconds", duration);
    cmd.AddValue("rebind", "NAT rebinding period in seconds (0 = never)", rebind);
    cmd.AddValue("interval", "Request period per connection in seconds", interval);
    cmd.AddValue("spread", "Connection attempts spread over this many seconds from 1 s", spread);
    cmd.AddValue("idle-until", "Idle (established, no requests) until this time (s)", idleUntil);
    cmd.AddValue("sockets", "Client UDP ports the connections are spread over", sockets);
    cmd.AddValue("request-size", "Bytes per request", requestSize);
    cmd.Parse(argc, argv);
    if (n == 0 || duration <= idleUntil || idleUntil <= 1 + spread || interval <= 0)
    {
        std::cerr << "need --n > 0, 1 + --spread < --idle-until < --duration, --interval > 0\n";
        return 2;
    }

    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    // Idle connections must outlive the idle phase; requests keep them alive afterwards.
    Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(60)));
    NatNetwork net = BuildNatNetwork(Seconds(rebind));
    net.nat->TraceConnectWithoutContext(
        "Rebind",
        MakeCallback(+[](const InetSocketAddress&,
                         const InetSocketAddress&,
                         const InetSocketAddress&) { ++g_rebinds; }));
    ConnectionDriver driver(net, sockets, requestSize);
    driver.ScheduleConnects(n, Seconds(1), Seconds(spread));
    driver.ScheduleRequests(Seconds(idleUntil), Seconds(interval), Seconds(duration));

    Stopwatch run;
    Sample before;
    Sample idle;
    auto sample = [&run, &driver](Sample* s) {
        s->wall = run.Wall();
        s->cpu = run.Cpu();
        s->rss = CurrentRssKiB();
        s->heap = HeapInUseKiB();
        s->established = driver.CountEstablished();
    };
    Simulator::Schedule(Seconds(0.5), [&]() { sample(&before); });
    Simulator::Schedule(Seconds(idleUntil), [&]() { sample(&idle); });
    Simulator::Stop(Seconds(duration));
    run.Restart();
    Simulator::Run();
    const double wall = run.Wall();
    const double cpu = run.Cpu();
    const uint32_t establishedEnd = driver.CountEstablished();
    uint64_t peerChanges = 0;
    uint64_t validated = 0;
    for (const Ptr<QuicConnection>& c : net.serverEp->GetConnections())
    {
        peerChanges += c->GetStats().m_peerAddressChanges;
        validated += c->GetStats().m_pathsValidated;
    }
    const uint64_t serverConnections = net.serverEp->GetConnectionCount();
    const uint64_t requests = driver.GetRequestsSent();
    const uint64_t peak = PeakRssKiB();
    Simulator::Destroy();

    const double perConnKiB =
        static_cast<double>(idle.rss > before.rss ? idle.rss - before.rss : 0) / n;
    const double heapPerConnKiB =
        static_cast<double>(idle.heap > before.heap ? idle.heap - before.heap : 0) / n;
    std::printf("quic-bench-scale: n=%u duration=%g s rebind every %g s, requests every %g s, "
                "%u client ports\n",
                n,
                duration,
                rebind,
                interval,
                sockets);
    std::printf("established: %u at %g s (idle), %u at the end; server connections %lu; NAT "
                "rebinds %lu; server saw %lu peer address changes, %lu validations; %lu requests\n",
                idle.established,
                idleUntil,
                establishedEnd,
                static_cast<unsigned long>(serverConnections),
                static_cast<unsigned long>(g_rebinds),
                static_cast<unsigned long>(peerChanges),
                static_cast<unsigned long>(validated),
                static_cast<unsigned long>(requests));
    std::printf("run: %.3f s wall, %.3f s CPU (connect phase %.3f s wall); peak RSS %lu KiB; "
                "RSS %lu -> %lu KiB: %.2f KiB per idle connection (client + server + NAT); "
                "heap in use %.2f KiB per idle connection\n",
                wall,
                cpu,
                idle.wall,
                static_cast<unsigned long>(peak),
                static_cast<unsigned long>(before.rss),
                static_cast<unsigned long>(idle.rss),
                perConnKiB,
                heapPerConnKiB);

    Result result;
    result.SetString("bench", "scale");
    result.SetInt("n", n);
    result.Set("sim_s", duration);
    result.SetInt("established_idle", idle.established);
    result.SetInt("established_end", establishedEnd);
    result.SetInt("nat_rebinds", g_rebinds);
    result.SetInt("peer_address_changes", peerChanges);
    result.SetInt("requests", requests);
    result.Set("wall_s", wall);
    result.Set("cpu_s", cpu);
    result.Set("connect_phase_wall_s", idle.wall);
    result.SetInt("peak_rss_kib", peak);
    result.SetInt("rss_before_kib", before.rss);
    result.SetInt("rss_idle_kib", idle.rss);
    result.Set("kib_per_idle_connection", perConnKiB);
    result.Set("heap_kib_per_idle_connection", heapPerConnKiB);
    result.Print();
    return idle.established == n && establishedEnd == n ? 0 : 1;
}
