/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-bench-migration: cost of a connection migration (RFC 9000 §9.2) in a migration storm.
// N connections through the NAT network of bench-net.h (NAT rebinding every --rebind seconds,
// default never), each sending a small request every --interval. Two windows of --window
// simulated seconds each follow the set-up:
//   baseline  requests only;
//   storm     requests, and every connection migrates (QuicConnection::Migrate, probe then
//             switch) to another client port every --migrate-every seconds, staggered.
// Wall (and CPU) time per migration = (storm window - baseline window) / migrations started.
//
// Prints a summary and one "BENCH {json}" line. Exit status 0 if all connections were
// established, at least one migration started and every connection is still open at the end.

#include "bench-common.h"
#include "bench-net.h"

#include <cstdio>
#include <iostream>

using namespace ns3;
using namespace quicbench;

namespace
{

/// Migration storm state.
struct Storm
{
    std::vector<Ptr<QuicConnection>> connections; //!< client connections
    Ipv4Address client;                           //!< client address
    uint32_t ports{64};                           //!< client ports migrated to
    Time every;                                   //!< period per connection
    Time stop;                                    //!< last migration before this
    uint64_t started{0};                          //!< Migrate() returned true
    uint64_t refused{0};                          //!< Migrate() returned false
    std::vector<uint32_t> count;                  //!< migrations per connection

    /// \param i connection index
    void Migrate(uint32_t i)
    {
        if (Simulator::Now() >= stop)
        {
            return;
        }
        Ptr<QuicConnection> c = connections[i];
        if (c && c->GetState() == QuicConnection::CONNECTED)
        {
            const uint16_t port = static_cast<uint16_t>(40000 + (i + 7 * ++count[i]) % ports);
            if (c->Migrate(InetSocketAddress(client, port), QuicConnection::PROBE_THEN_SWITCH))
            {
                ++started;
            }
            else
            {
                ++refused;
            }
        }
        Simulator::Schedule(every, &Storm::Migrate, this, i);
    }
};

/// Wall and CPU at a simulation time.
struct Mark
{
    double wall{0}; //!< wall seconds since Run()
    double cpu{0};  //!< CPU seconds since Run()
};

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 1000;
    double window = 10;
    double every = 1;
    double interval = 1;
    double rebind = 0;
    uint32_t sockets = 100;
    uint32_t ports = 64;

    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "Concurrent connections", n);
    cmd.AddValue("window", "Length of the baseline and of the storm window (s)", window);
    cmd.AddValue("migrate-every", "Migration period per connection in the storm (s)", every);
    cmd.AddValue("interval", "Request period per connection (s)", interval);
    cmd.AddValue("rebind", "NAT rebinding period (s, 0 = never)", rebind);
    cmd.AddValue("sockets", "Client UDP ports the connections start on", sockets);
    cmd.AddValue("ports", "Client UDP ports the connections migrate between", ports);
    cmd.Parse(argc, argv);
    if (n == 0 || window <= 0 || every <= 0 || interval <= 0 || ports == 0)
    {
        std::cerr << "need positive --n, --window, --migrate-every, --interval, --ports\n";
        return 2;
    }

    RngSeedManager::SetSeed(1);
    RngSeedManager::SetRun(1);
    Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(60)));
    NatNetwork net = BuildNatNetwork(Seconds(rebind));
    ConnectionDriver driver(net, sockets, 100);
    const double spread = 2;
    const double t0 = 5;
    const double t1 = t0 + window;
    const double t2 = t1 + window;
    driver.ScheduleConnects(n, Seconds(1), Seconds(spread));
    driver.ScheduleRequests(Seconds(4), Seconds(interval), Seconds(t2));

    Storm storm;
    storm.client = net.clientAddress;
    storm.ports = ports;
    storm.every = Seconds(every);
    storm.stop = Seconds(t2);
    storm.count.assign(n, 0);
    uint32_t establishedStart = 0;
    Simulator::Schedule(Seconds(t1), [&]() {
        storm.connections = driver.GetConnections();
        for (uint32_t i = 0; i < n; ++i)
        {
            Simulator::Schedule(Seconds(every * i / n), &Storm::Migrate, &storm, i);
        }
    });

    Stopwatch run;
    Mark m0;
    Mark m1;
    Mark m2;
    auto mark = [&run](Mark* m) {
        m->wall = run.Wall();
        m->cpu = run.Cpu();
    };
    Simulator::Schedule(Seconds(t0), [&]() {
        mark(&m0);
        establishedStart = driver.CountEstablished();
    });
    // Marks before the storm events of the same time stamp: scheduled first.
    Simulator::Schedule(Seconds(t1) - NanoSeconds(1), [&]() { mark(&m1); });
    Simulator::Schedule(Seconds(t2), [&]() { mark(&m2); });
    Simulator::Stop(Seconds(t2) + NanoSeconds(1));
    run.Restart();
    Simulator::Run();
    const uint32_t establishedEnd = driver.CountEstablished();
    uint64_t switches = 0;
    uint64_t validated = 0;
    for (const Ptr<QuicConnection>& c : driver.GetConnections())
    {
        if (c)
        {
            switches += c->GetStats().m_pathSwitches;
            validated += c->GetStats().m_pathsValidated;
        }
    }
    const uint64_t peak = PeakRssKiB();
    Simulator::Destroy();

    const double baseWall = m1.wall - m0.wall;
    const double stormWall = m2.wall - m1.wall;
    const double baseCpu = m1.cpu - m0.cpu;
    const double stormCpu = m2.cpu - m1.cpu;
    const double migrations = static_cast<double>(storm.started);
    const double usWall = migrations > 0 ? (stormWall - baseWall) * 1e6 / migrations : 0;
    const double usCpu = migrations > 0 ? (stormCpu - baseCpu) * 1e6 / migrations : 0;
    std::printf("quic-bench-migration: n=%u, windows of %g s, a migration per connection every "
                "%g s, requests every %g s\n",
                n,
                window,
                every,
                interval);
    std::printf("established %u at %g s, %u at the end; migrations started %lu, refused %lu; "
                "client path switches %lu, validations %lu\n",
                establishedStart,
                t0,
                establishedEnd,
                static_cast<unsigned long>(storm.started),
                static_cast<unsigned long>(storm.refused),
                static_cast<unsigned long>(switches),
                static_cast<unsigned long>(validated));
    std::printf("baseline window %.3f s wall (%.3f CPU), storm window %.3f s wall (%.3f CPU): "
                "%.2f us wall (%.2f us CPU) per migration; peak RSS %lu KiB\n",
                baseWall,
                baseCpu,
                stormWall,
                stormCpu,
                usWall,
                usCpu,
                static_cast<unsigned long>(peak));

    Result result;
    result.SetString("bench", "migration");
    result.SetInt("n", n);
    result.SetInt("established_start", establishedStart);
    result.SetInt("established_end", establishedEnd);
    result.SetInt("migrations", storm.started);
    result.SetInt("refused", storm.refused);
    result.SetInt("path_switches", switches);
    result.Set("baseline_wall_s", baseWall);
    result.Set("storm_wall_s", stormWall);
    result.Set("baseline_cpu_s", baseCpu);
    result.Set("storm_cpu_s", stormCpu);
    result.Set("us_wall_per_migration", usWall);
    result.Set("us_cpu_per_migration", usCpu);
    result.SetInt("peak_rss_kib", peak);
    result.Print();
    return establishedStart == n && establishedEnd == n && storm.started > 0 ? 0 : 1;
}
