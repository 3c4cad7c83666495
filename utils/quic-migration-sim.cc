/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// quic-migration-sim: the scenario runner of the quic-migration module.
//
// Every scenario option of ScenarioConfig is a command-line option with the
// same name (see --help, or GetScenarioOptions() in
// helper/quic-migration-scenario.h); --config FILE reads the same options from
// an INI-style file (`name = value` lines, `#` comments), and the command line
// overrides the file. Options the runner does not know are handed to
// ns3::CommandLine when they are ns-3's: attribute defaults
// (--ns3::QuicConnection::MaxAckDelay=10ms, also accepted as `ns3::Type::Attr =
// value` lines in the config file), global values (--SchedulerType=...) and
// the --Print* introspection options (--PrintAttributes=ns3::QuicConnection).
//
// Exit codes: 0 the scenario ran and its outputs are written; 2 a usage or
// configuration error (one line on stderr, nothing created) or a failed run
// (nothing left behind).
//
// Example:
//   build/bin/quic-migration-sim --data-rate=10Mbps --delay=20ms --loss=0.01
//       --bytes=10000000 --pcap --keylog --out=results/run1  (one line)

#include "ns3/core-module.h"
#include "ns3/quic-migration-scenario.h"

#include <boost/program_options.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace po = boost::program_options;
using namespace ns3;

namespace
{

/// Thrown for usage and configuration errors: the runner prints it and exits with 2.
struct UsageError : public std::runtime_error
{
    using std::runtime_error::runtime_error;
};

/// Options of the runner itself (not scenario options).
const char* const RUNNER_OPTIONS_HELP =
    "ns-3 options (passed to ns3::CommandLine):\n"
    "  --ns3::Type::Attribute=VALUE  set an attribute default, e.g.\n"
    "                                --ns3::QuicConnection::MaxAckDelay=10ms\n"
    "  --GlobalValue=VALUE           set an ns-3 global value, e.g.\n"
    "                                --SchedulerType=ns3::CalendarScheduler (a run always\n"
    "                                enables ChecksumEnabled: IPv6 needs UDP checksums)\n"
    "  --PrintAttributes=TYPEID      list the attributes of a TypeId and exit\n"
    "  --PrintGlobals, --PrintGroups, --PrintGroup=NAME, --PrintTypeIds, --PrintHelp\n"
    "\n"
    "Attack events (--event TIME:attack-...; IPv4; an attacker node with a faster path to\n"
    "the server is added; doc/quic-migration.rst \"Attackers\"):\n"
    "  attack-copy-race[:duration=500ms,relay=0|1,copies=N]  copies of the client's packets\n"
    "                                win the race (RFC 9000 §9.3.3); relay=1 forwards answers\n"
    "  attack-victim[:duration=300ms]  the copies carry a victim's source address (§9.3.1)\n"
    "  attack-inject[:mode=random|short|guess|replay,count=100,interval=1ms,\n"
    "                target=server|client]  off-path spoofed datagrams\n"
    "  attack-reset[:count=10,interval=10ms]  forged stateless resets to the client\n"
    "  e.g. --event 1s:attack-copy-race:duration=6s --event 2s:attack-inject:count=1000\n"
    "  summary.json: events[i].attack (bytes to/from the spoofed source, max amplification\n"
    "  ratio, validation failures, fallbacks, injected and dropped counts)\n"
    "Topologies and address changes:\n"
    "  --access \"p2p:rate=10Mbps,delay=15ms;csma:rate=100Mbps,delay=5ms,nat=1\"\n"
    "      gives the client one access network per ';'-separated entry TYPE[:KEY=VALUE,...]\n"
    "      (TYPE p2p or csma; keys rate, delay, loss, queue, mtu, nat=0|1), all leading to a\n"
    "      router in front of the server (10.100.0.2); access i addresses the client as\n"
    "      10.1.(i+1).1, the default route uses access 0. The link options (data-rate, delay,\n"
    "      loss, loss-direction, queue, mtu) then do not apply; IPv4 only.\n"
    "  Events acting on access N (need --access):\n"
    "      --event 1s:linkdown:if=0     Ipv4::SetDown on the client's interface of access 0\n"
    "      --event 3s:linkup:if=0       Ipv4::SetUp on it (default route not restored)\n"
    "      --event 2s:renumber:if=0     DHCP-like new address (host + 100) on access 0\n"
    "      --event 1.2s:route:if=1      move the default route to access 1\n"
    "      --event 4s:migrate:if=1,policy=switch   client migration to access 1\n"
    "\n"
    "Exit status: 0 success, 2 usage/configuration error or failed run.\n";

/// The ns-3 CommandLine options forwarded as they are.
bool
IsNs3PrintOption(const std::string& name)
{
    return name == "PrintHelp" || name == "PrintVersion" || name == "PrintGroups" ||
           name == "PrintTypeIds" || name == "PrintGlobals" || name == "PrintGroup" ||
           name == "PrintAttributes";
}

/**
 * Check one ns-3 attribute setting the way Config::SetDefault will apply it,
 * without the aborts of ns-3's string parsers on malformed times.
 */
void
CheckAttributeSetting(const std::string& name, const std::string& value)
{
    std::string::size_type pos = name.rfind("::");
    TypeId tid;
    if (pos == std::string::npos || !TypeId::LookupByNameFailSafe(name.substr(0, pos), &tid))
    {
        throw UsageError("unknown ns-3 type in --" + name + " (see --PrintTypeIds)");
    }
    TypeId::AttributeInformation info;
    if (!tid.LookupAttributeByName(name.substr(pos + 2), &info))
    {
        throw UsageError("unknown attribute in --" + name +
                         " (see --PrintAttributes=" + tid.GetName() + ")");
    }
    if (info.checker->GetValueTypeName() == "ns3::TimeValue")
    {
        Time t;
        if (!ParseScenarioTime(value, t))
        {
            throw UsageError("invalid value '" + value + "' for --" + name +
                             ": expected a time such as 10ms");
        }
    }
    // ns-3's integer and floating-point attribute values abort on text they cannot parse
    // completely (e.g. "abc", "1.5" for an integer): check the format first.
    const std::string type = info.checker->GetValueTypeName();
    if (type == "ns3::UintegerValue" || type == "ns3::IntegerValue" || type == "ns3::DoubleValue")
    {
        std::istringstream iss(value);
        bool ok;
        if (type == "ns3::UintegerValue")
        {
            uint64_t v;
            ok = value.find('-') == std::string::npos && static_cast<bool>(iss >> v);
        }
        else if (type == "ns3::IntegerValue")
        {
            int64_t v;
            ok = static_cast<bool>(iss >> v);
        }
        else
        {
            double v;
            ok = static_cast<bool>(iss >> v);
        }
        if (!ok || !iss.eof())
        {
            throw UsageError("invalid value '" + value + "' for --" + name + " (expected " +
                             info.checker->GetUnderlyingTypeInformation() + ")");
        }
    }
    if (!info.checker->CreateValidValue(StringValue(value)))
    {
        throw UsageError("invalid value '" + value + "' for --" + name + " (expected " +
                         info.checker->GetUnderlyingTypeInformation() + ")");
    }
}

/**
 * Sort the options the runner does not know: ns-3 ones go to `ns3Args`
 * (checked), anything else is an error.
 */
void
ForwardUnknown(const std::vector<std::string>& unknown, std::vector<std::string>& ns3Args)
{
    for (const auto& arg : unknown)
    {
        if (arg.rfind("--", 0) != 0)
        {
            throw UsageError("unexpected argument '" + arg + "' (options are --name=value)");
        }
        std::string body = arg.substr(2);
        std::string::size_type eq = body.find('=');
        std::string name = body.substr(0, eq);
        std::string value = eq == std::string::npos ? "" : body.substr(eq + 1);
        if (name.rfind("ns3::", 0) == 0)
        {
            if (eq == std::string::npos)
            {
                throw UsageError("missing value in --" + name + " (use --" + name + "=VALUE)");
            }
            CheckAttributeSetting(name, value);
            ns3Args.push_back(arg);
            continue;
        }
        if (IsNs3PrintOption(name))
        {
            TypeId tid;
            if (name == "PrintAttributes" && !TypeId::LookupByNameFailSafe(value, &tid))
            {
                throw UsageError("unknown TypeId '" + value + "' in --PrintAttributes");
            }
            ns3Args.push_back(arg);
            continue;
        }
        if (name == "RngSeed" || name == "RngRun")
        {
            throw UsageError("use --seed and --run instead of --" + name);
        }
        GlobalValue::Iterator it = GlobalValue::Begin();
        for (; it != GlobalValue::End(); ++it)
        {
            if ((*it)->GetName() == name)
            {
                break;
            }
        }
        if (it != GlobalValue::End())
        {
            if (eq == std::string::npos)
            {
                throw UsageError("missing value in --" + name);
            }
            ns3Args.push_back(arg);
            continue;
        }
        throw UsageError("unknown option '--" + name + "' (see --help)");
    }
}

/// Seconds with three decimals for the human summary.
std::string
Sec(int64_t ns)
{
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.3f s", double(ns) * 1e-9);
    return buf;
}

/// Print the readable summary of a run on stdout.
void
PrintSummary(const ScenarioConfig& c, const ScenarioResult& r)
{
    std::ostringstream os;
    char buf[256];
    std::snprintf(buf,
                  sizeof(buf),
                  "quic-migration-sim: %llu bytes client -> server, %.3f Mbps, delay %.3f ms, "
                  "loss %g, %s\n",
                  static_cast<unsigned long long>(c.m_transferBytes),
                  double(c.m_dataRateBps) * 1e-6,
                  c.m_delay.GetSeconds() * 1e3,
                  c.m_lossRate,
                  c.m_ipv6 ? "IPv6" : "IPv4");
    os << buf;
    for (const auto& conn : r.m_connections)
    {
        const ScenarioEndpointResult& cl = conn.m_client;
        os << "  connection " << conn.m_id << ": " << conn.m_clientAddress << " -> "
           << conn.m_serverAddress << "\n";
        if (cl.m_handshakeConfirmed && cl.m_firstInitialSentNs >= 0)
        {
            os << "    handshake: confirmed "
               << Sec(cl.m_handshakeConfirmedNs - cl.m_firstInitialSentNs)
               << " after the first Initial (complete at " << Sec(cl.m_handshakeCompleteNs)
               << ", confirmed at " << Sec(cl.m_handshakeConfirmedNs) << ")\n";
        }
        else
        {
            os << "    handshake: NOT confirmed\n";
        }
        if (conn.m_requestedBytes > 0)
        {
            os << "    transfer:  " << conn.m_deliveredBytes << "/" << conn.m_requestedBytes
               << " bytes";
            if (conn.m_transferComplete)
            {
                std::snprintf(buf,
                              sizeof(buf),
                              ", complete in %s, goodput %.3f Mbps",
                              Sec(conn.m_transferCompleteNs - conn.m_transferStartNs).c_str(),
                              conn.m_goodputBps * 1e-6);
                os << buf;
            }
            else
            {
                os << ", NOT complete";
            }
            if (conn.m_patternErrors > 0)
            {
                os << ", " << conn.m_patternErrors << " pattern errors";
            }
            os << "\n";
        }
        os << "    packets:   sent " << cl.m_packetsSent << " (client) / "
           << conn.m_server.m_packetsSent << " (server), declared lost " << cl.m_packetsLost
           << " / " << conn.m_server.m_packetsLost << ", PTOs " << cl.m_ptoCount << "\n";
        std::snprintf(buf,
                      sizeof(buf),
                      "    final:     cwnd %llu bytes, srtt %.3f ms\n",
                      static_cast<unsigned long long>(cl.m_finalCwnd),
                      double(cl.m_finalSrttNs) * 1e-6);
        os << buf;
        const ScenarioEndpointResult& sv = conn.m_server;
        os << "    paths:     switches " << cl.m_pathSwitches << " / " << sv.m_pathSwitches
           << ", peer address changes " << cl.m_peerAddressChanges << " / "
           << sv.m_peerAddressChanges << ", validated " << cl.m_pathsValidated << " / "
           << sv.m_pathsValidated << ", validation failures " << cl.m_validationFailures << " / "
           << sv.m_validationFailures << ", PATH_CHALLENGE sent " << cl.m_pathChallengesSent
           << " / " << sv.m_pathChallengesSent << " (client / server)\n";
    }
    os << "  link: loss drops " << r.m_linkLossDrops[0] << " (c->s) / " << r.m_linkLossDrops[1]
       << " (s->c), queue drops " << r.m_queueDrops[0] << " / " << r.m_queueDrops[1] << "\n";
    for (const auto& er : r.m_events)
    {
        auto opt = [](int64_t ns) { return ns < 0 ? std::string("-") : Sec(ns); };
        os << "  event " << Sec(er.m_event.m_time.GetNanoSeconds()) << " " << er.m_event.m_type
           << ": " << er.m_outcome;
        if (!er.m_detail.empty())
        {
            os << " (" << er.m_detail << ")";
        }
        os << "\n";
        if (er.m_outcome == "ok")
        {
            os << "    validated after " << opt(er.m_validationNs) << ", server switched after "
               << opt(er.m_switchNs) << ", first data after the switch "
               << opt(er.m_migrationDelayNs) << "; " << er.m_bytesToUnvalidated
               << " bytes to the unvalidated address, lost " << er.m_lostAround << "\n";
        }
    }
    os << "  stop: " << r.m_stopReason << " at " << Sec(r.m_endNs) << " simulated\n";
    os << "  outputs: " << c.m_outputDirectory << "/ (";
    for (size_t i = 0; i < r.m_files.size(); ++i)
    {
        os << (i ? ", " : "") << r.m_files[i];
    }
    os << ")\n";
    std::snprintf(buf, sizeof(buf), "  wall time: %.2f s\n", r.m_wallClockSeconds);
    os << buf;
    std::cout << os.str() << std::flush;
}

/// The runner proper; throws UsageError for exit code 2.
int
Run(int argc, char** argv)
{
    const auto scenarioOptions = GetScenarioOptions();
    po::options_description scenarioDesc("Scenario options (also config-file keys)");
    for (const auto& o : scenarioOptions)
    {
        std::string help = o.m_help;
        if (!o.m_defaultValue.empty() && !o.m_isSwitch)
        {
            help += " [" + o.m_defaultValue + "]";
        }
        if (o.m_repeatable)
        {
            scenarioDesc.add_options()(o.m_name.c_str(),
                                       po::value<std::vector<std::string>>()->composing(),
                                       help.c_str());
        }
        else if (o.m_isSwitch)
        {
            scenarioDesc.add_options()(o.m_name.c_str(),
                                       po::value<std::string>()->implicit_value("true"),
                                       help.c_str());
        }
        else
        {
            scenarioDesc.add_options()(o.m_name.c_str(), po::value<std::string>(), help.c_str());
        }
    }
    po::options_description runnerDesc("Runner options");
    runnerDesc.add_options()("help,h", "print this help and exit")(
        "config",
        po::value<std::string>(),
        "read options from an INI-style file (name = value); the command line overrides it")(
        "progress",
        po::value<std::string>()->implicit_value("true"),
        "print a progress line on stderr every --progress-interval of simulated time "
        "(default: only when stderr is a terminal)")("progress-interval",
                                                     po::value<std::string>()->default_value("1s"),
                                                     "simulated time between progress lines");
    po::options_description all;
    all.add(scenarioDesc).add(runnerDesc);

    int style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    po::variables_map vm;
    std::vector<std::string> ns3Args;
    po::parsed_options parsed =
        po::command_line_parser(argc, argv).options(all).style(style).allow_unregistered().run();
    std::vector<std::string> unknown =
        po::collect_unrecognized(parsed.options, po::include_positional);
    po::store(parsed, vm);

    if (vm.count("help"))
    {
        std::cout << "Usage: quic-migration-sim [options]\n\n"
                     "Runs one QUIC scenario (helper/quic-migration-scenario.h) and writes\n"
                     "summary.json (doc/summary.schema.json), pcaps, keylog.txt into --out.\n\n"
                  << all << "\n"
                  << RUNNER_OPTIONS_HELP;
        return 0;
    }

    std::vector<std::string> fileNs3Args;
    if (vm.count("config"))
    {
        std::string path = vm["config"].as<std::string>();
        std::ifstream in(path);
        // A directory opens as a stream on Linux but reads as empty: refuse it too.
        struct stat st;
        if (!in || (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)))
        {
            throw UsageError("cannot read config file '" + path + "'");
        }
        po::parsed_options fileParsed = po::parse_config_file(in, scenarioDesc, true);
        for (const auto& opt : fileParsed.options)
        {
            if (!opt.unregistered)
            {
                continue;
            }
            if (opt.string_key.rfind("ns3::", 0) == 0 && opt.value.size() == 1)
            {
                CheckAttributeSetting(opt.string_key, opt.value[0]);
                fileNs3Args.push_back("--" + opt.string_key + "=" + opt.value[0]);
            }
            else
            {
                throw UsageError("unknown option '" + opt.string_key + "' in config file '" + path +
                                 "'");
            }
        }
        po::store(fileParsed, vm);
    }
    po::notify(vm);

    ForwardUnknown(unknown, ns3Args);
    // Config-file attribute settings first, so that the command line overrides them.
    std::vector<std::string> cmdArgs{"quic-migration-sim"};
    cmdArgs.insert(cmdArgs.end(), fileNs3Args.begin(), fileNs3Args.end());
    cmdArgs.insert(cmdArgs.end(), ns3Args.begin(), ns3Args.end());
    CommandLine cmd(__FILE__);
    cmd.Parse(cmdArgs);

    ScenarioConfig config;
    for (const auto& o : scenarioOptions)
    {
        if (!vm.count(o.m_name))
        {
            continue;
        }
        std::vector<std::string> values;
        if (o.m_repeatable)
        {
            values = vm[o.m_name].as<std::vector<std::string>>();
        }
        else
        {
            values.push_back(vm[o.m_name].as<std::string>());
        }
        for (const auto& v : values)
        {
            std::string error;
            if (!SetScenarioOption(config, o.m_name, v, error))
            {
                throw UsageError(error);
            }
        }
    }

    bool progress = ::isatty(STDERR_FILENO) != 0;
    if (vm.count("progress"))
    {
        std::string v = vm["progress"].as<std::string>();
        progress = v == "true" || v == "1" || v == "yes" || v == "on";
        if (!progress && v != "false" && v != "0" && v != "no" && v != "off")
        {
            throw UsageError("invalid progress '" + v + "': expected true or false");
        }
    }
    if (progress)
    {
        Time interval;
        std::string v = vm["progress-interval"].as<std::string>();
        if (!ParseScenarioTime(v, interval) || !interval.IsStrictlyPositive())
        {
            throw UsageError("invalid progress-interval '" + v + "': expected a positive time");
        }
        uint64_t total = config.m_transferBytes;
        config.m_progressInterval = interval;
        config.m_progress = [total](Time now, uint64_t delivered) {
            char buf[160];
            if (total > 0)
            {
                std::snprintf(buf,
                              sizeof(buf),
                              "[progress] t=%.3f s delivered %llu/%llu bytes (%.1f %%)\n",
                              now.GetSeconds(),
                              static_cast<unsigned long long>(delivered),
                              static_cast<unsigned long long>(total),
                              100.0 * double(delivered) / double(total));
            }
            else
            {
                std::snprintf(buf, sizeof(buf), "[progress] t=%.3f s\n", now.GetSeconds());
            }
            std::cerr << buf << std::flush;
            return true;
        };
    }

    ScenarioResult result = RunScenario(config);
    if (!result.IsOk())
    {
        throw UsageError(result.m_error);
    }
    PrintSummary(config, result);
    return 0;
}

} // namespace

int
main(int argc, char** argv)
{
    try
    {
        return Run(argc, argv);
    }
    catch (const UsageError& e)
    {
        std::cerr << "quic-migration-sim: error: " << e.what() << std::endl;
    }
    catch (const po::error& e)
    {
        std::cerr << "quic-migration-sim: error: " << e.what() << std::endl;
    }
    catch (const std::exception& e)
    {
        std::cerr << "quic-migration-sim: error: " << e.what() << std::endl;
    }
    return 2;
}
