/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_MIGRATION_SCENARIO_H
#define QUIC_MIGRATION_SCENARIO_H

#include "ns3/nstime.h"

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \defgroup quic-migration-scenario Scenario layer
 * \ingroup quic-migration
 *
 * One value type (ScenarioConfig) and one function (RunScenario) that build a
 * topology, install the QUIC applications, run the simulation and collect the
 * results. The runner `quic-migration-sim`, the C++ examples that want canned
 * topologies and the Python bindings all call RunScenario; none of them builds
 * topologies itself.
 *
 * Topology (today): one client node and one server node joined by one
 * point-to-point link.
 *
 * \verbatim
 *    client (node 0)                                 server (node 1)
 *    10.1.1.1                 <--- point-to-point ---> 10.1.1.2 :4433
 *    2001:db8::200:ff:fe00:1                           2001:db8::200:ff:fe00:2 :4433
 *    QuicBulkSendApplication    rate, delay, queue,    QuicSinkApplication
 *    (sends --bytes)            MTU, random loss       (verifies the pattern)
 * \endverbatim
 *
 * The data flows from the client to the server: the client's
 * QuicBulkSendApplication connects at the start time, opens one bidirectional
 * stream and sends the requested bytes (the deterministic QuicStreamPattern);
 * the server's QuicSinkApplication receives and verifies them, reports the
 * count back on the stream, and the client then closes the connection with
 * NO_ERROR (QuicBulkSendApplication's CloseOnComplete). The transfer counts
 * as complete when the sink has read the last byte and the FIN. With bytes = 0
 * the client opens a bare connection (no application) that stays open.
 * The link has no queue disc: the DropTail device queue is its only buffer.
 *
 * Names: every field of ScenarioConfig has an option name (the runner's
 * `--name`, the key in a config file and in the "config" object of
 * summary.json), listed by GetScenarioOptions() and set from text by
 * SetScenarioOption().
 */

/// Version of this module, reported in summary.json (keep in step with CMakeLists.txt).
extern const char* const QUIC_MIGRATION_VERSION;

/// Version of the summary.json layout (doc/summary.schema.json).
constexpr uint32_t QUIC_MIGRATION_SUMMARY_SCHEMA_VERSION = 1;

/// UDP port the server listens on (tshark: `-d udp.port==4433,quic`).
constexpr uint16_t QUIC_MIGRATION_SERVER_PORT = 4433;

/// Second IPv4 address of the client's interface, the target of `migrate` events.
extern const char* const QUIC_MIGRATION_CLIENT_SECOND_ADDRESS;

/**
 * \ingroup quic-migration-scenario
 * \brief One entry of a scenario's event timeline (NAT rebinding, migration, attacks...).
 *
 * Text form (option `--event`, repeatable): `TIME:TYPE[:KEY=VALUE[,KEY=VALUE...]]`,
 * e.g. `2s:rebind` or `3s:migrate:policy=switch`. Supported types
 * (GetSupportedScenarioEventTypes()); any other type, or an unknown parameter, is
 * rejected by ValidateScenarioConfig() with a message naming it:
 *
 * - `rebind` (no parameter): a NAT rebinding in front of the client. The client's socket
 *   moves to a new ephemeral port of the same address (QuicConnection::RebindForTesting)
 *   without the client knowing; the server sees a new peer port, validates it and
 *   switches to it (RFC 9000 §9.3).
 * - `migrate` (parameter `policy=probe|switch`, default probe): client connection
 *   migration (RFC 9000 §9.2, QuicConnection::Migrate with PROBE_THEN_SWITCH or
 *   SWITCH_IMMEDIATELY) to a second address of the client's interface,
 *   QUIC_MIGRATION_CLIENT_SECOND_ADDRESS (10.1.1.101/24, added to the client's interface
 *   before the run only when the timeline has a migrate event), ephemeral port. IPv4
 *   only: a migrate event with ipv6 is rejected. With access networks (option access) the
 *   target is the first address of access `if=N` (parameter required there, refused
 *   without access networks).
 *
 * Address changes (need access networks; parameter `if=N`, the access index, required;
 * QuicAddressChanger):
 * - `linkdown`: Ipv4::SetDown on the client's interface of access N (its routes vanish).
 * - `linkup`: Ipv4::SetUp on it (connected route back, default route not).
 * - `renumber`: DHCP-like renumbering of the client's address on access N (host + 100).
 * - `route`: the client's default route moves to access N (Wi-Fi to cellular).
 *
 * E.g. `1s:linkdown:if=0`, `1.2s:route:if=1`, `3s:migrate:if=0,policy=switch`.
 *
 * - Attacks (IPv4 only; see "Attackers" in doc/quic-migration.rst). A timeline with an
 *   attack event gets an attacker node A with its own fast links (1 ms, 10x the data rate)
 *   to the server (10.9.1.0/24) and to the client (10.9.2.0/24), and a victim node V behind A
 *   (10.9.3.2); A taps the client's link device. Types and parameters:
 *   - `attack-copy-race` (`duration=TIME` default 500ms, `relay=0|1` default 0,
 *     `copies=N` default 0 = unbounded): QuicCopyRaceForwarder, copies of the client's
 *     packets sent from A's address 10.9.1.1 so that they win the race (RFC 9000 §9.3.3);
 *     with relay=1 the server's answers are relayed back to the client.
 *   - `attack-victim` (`duration=TIME` default 300ms): the same copies with the victim's
 *     address 10.9.3.2 as source (a spoofing client, RFC 9000 §9.3.1): the server may send
 *     to the victim only 3x what it received from that address.
 *   - `attack-inject` (`mode=random|short|guess|replay` default random, `count=N` default
 *     100, `interval=TIME` default 1ms, `target=server|client` default server):
 *     QuicOffPathInjector from A's address (replay: the client's own address and port):
 *     random bytes, short headers with random CIDs, short headers with the peer's real CID
 *     (guess), or replays of the client's first captured datagrams. Toward the client the
 *     source is a server address the client never moved to (MIG-06).
 *   - `attack-reset` (`count=N` default 10, `interval=TIME` default 10ms): forged stateless
 *     resets (made-up token) "from the server" to the client's port (SR-09).
 *   Each attack event's results carry an `attack` object (ScenarioAttackResult).
 *
 * An event that cannot run (no client connection yet, handshake not confirmed, the
 * connection refused it) is reported with the outcome "refused".
 */
struct ScenarioEvent
{
    Time m_time;                                 //!< when it happens (simulation time)
    std::string m_type;                          //!< event type, e.g. "rebind"
    std::map<std::string, std::string> m_params; //!< parameters, by name (sorted)
};

/**
 * \ingroup quic-migration-scenario
 * \brief Where the random packet loss of a scenario applies.
 *
 * The loss is an ns-3 RateErrorModel (unit: packet) installed as the
 * ReceiveErrorModel of the receiving device of each chosen direction, so a
 * packet is lost after it crossed the link (it used the link's capacity).
 */
enum class ScenarioLossDirection
{
    BOTH,             ///< both directions, each with its own independent error model
    CLIENT_TO_SERVER, ///< only packets the server receives (the data direction)
    SERVER_TO_CLIENT, ///< only packets the client receives (the ACK direction)
};

/**
 * \ingroup quic-migration-scenario
 * \brief The progress hook of a run: (simulation time, stream bytes delivered so far).
 *
 * Returns true to go on; false stops the run at once: RunScenario() then returns
 * ScenarioStatus::INTERRUPTED and leaves no output behind (used by the Python bindings to
 * honour Ctrl-C between slices of simulated time).
 */
using ScenarioProgressCallback = std::function<bool(Time now, uint64_t deliveredBytes)>;

/**
 * \ingroup quic-migration-scenario
 * \brief One trace event of a run, as handed to ScenarioConfig::m_trace.
 *
 * Categories and names:
 * - "path": the PathEvent trace of either side (path_created, validation_started,
 *   path_validated, validation_failed, peer_port_changed, peer_address_changed,
 *   active_path_switched, migrated, fallback, migration_started, rebound); text fields
 *   "from" and "to" (addresses);
 * - "cid": the ConnectionIdEvent trace (issued, retired_local, retired_peer, rotated, ...);
 *   number field "sequence", text field "cid" (hex);
 * - "handshake": the HandshakeEvent trace (initial_sent, handshake_complete, ...);
 * - "packet" (only with m_tracePackets): packet_sent, packet_received, packet_lost; number
 *   fields "packet_number", "size", "datagram_size", text field "type";
 * - "timeline": a timeline event just executed (name = its type); text fields "outcome" and
 *   "detail".
 */
struct ScenarioTraceEvent
{
    int64_t m_timeNs{0};                       //!< simulation time, ns
    std::string m_side;                        //!< "client", "server" or "" (timeline)
    std::string m_category;                    //!< path, cid, handshake, packet, timeline
    std::string m_name;                        //!< what happened, e.g. "path_validated"
    int64_t m_pathId{-1};                      //!< path id on that side (-1: unknown)
    std::map<std::string, std::string> m_text; //!< text fields
    std::map<std::string, int64_t> m_numbers;  //!< integer fields
};

/**
 * \ingroup quic-migration-scenario
 * \brief The trace hook of a run: called synchronously from inside the simulator.
 */
using ScenarioTraceCallback = std::function<void(const ScenarioTraceEvent& event)>;

/**
 * \ingroup quic-migration-scenario
 * \brief Everything a scenario run depends on: a plain value type with documented defaults.
 *
 * The option name of each field (runner `--name`, config file key, key in the
 * "config" object of summary.json) is given in brackets. Time options accept
 * a number with a unit (s, ms, us, ns, min, h; a bare number is seconds); rates
 * accept ns-3 DataRate strings (10Mbps, 1Gbps, 500kbps, 1250000Bps; a bare
 * number is bit/s).
 *
 * The QUIC knobs (m_maxUdpPayloadSize, m_certificateSize, m_congestionControl,
 * m_initialRtt) are applied as QuicConnection attribute defaults for the
 * duration of the run only (the previous defaults are restored afterwards);
 * their "unset" value (0 or empty) keeps the current attribute default, which
 * `--ns3::QuicConnection::Attr=value` may have changed. The summary reports the
 * resolved values.
 */
struct ScenarioConfig
{
    // ---- path -----------------------------------------------------------------------------
    /// [data-rate] link data rate, each direction, bit/s. Default 10 Mbps.
    uint64_t m_dataRateBps{10000000};
    /// [delay] one-way propagation delay of the link. Default 20 ms (RTT 40 ms).
    Time m_delay{MilliSeconds(20)};
    /// [loss] random packet loss probability in [0, 1). Default 0.
    double m_lossRate{0.0};
    /// [loss-direction] which direction(s) lose packets (both, client-to-server,
    /// server-to-client). Default both.
    ScenarioLossDirection m_lossDirection{ScenarioLossDirection::BOTH};
    /// [queue] DropTail device queue of each direction, packets (>= 1). Default 100.
    uint32_t m_queuePackets{100};
    /// [mtu] link MTU in bytes (IP packet size). Default 1500. Must carry the largest
    /// QUIC datagram (max-udp-payload-size, at least 1200 bytes, RFC 9000 §14) plus the UDP
    /// and IP headers: IP fragmentation is never relied upon.
    uint32_t m_mtu{1500};
    /// [ipv6] address the link with IPv6 (2001:db8::/64, EUI-64 interface identifiers from
    /// the MAC addresses; duplicate address detection off) instead of IPv4 (10.1.1.0/24).
    bool m_ipv6{false};
    /// [access] client access networks built by QuicMigrationTopologyHelper, e.g.
    /// "p2p:rate=10Mbps,delay=15ms;csma:rate=100Mbps,delay=5ms,nat=1" (syntax:
    /// QuicMigrationTopologyHelper::ParseAccessList). Empty (default): the single
    /// point-to-point link above. With access networks the client (10.1.(i+1).1 on access i)
    /// reaches the server (10.100.0.2) through a router (core link 1 Gbps, 1 ms); each access
    /// has its own rate, delay, loss, queue, MTU and optional NAT, so the link options
    /// data-rate, delay, loss, loss-direction, queue and mtu do not apply; ipv6 is refused.
    std::string m_access;

    // ---- transfer -------------------------------------------------------------------------
    /// [bytes] stream bytes the client sends to the server; 0 = no transfer, only the
    /// handshake. Default 1000000.
    uint64_t m_transferBytes{1000000};
    /// [start-time] when the client application starts (connects). Default 100 ms.
    Time m_startTime{MilliSeconds(100)};
    /// [stop-time] fixed end of the simulation; 0 = automatic: stop-margin after the transfer
    /// completed (after the handshake was confirmed when bytes = 0), at most max-time.
    /// Default 0.
    Time m_stopTime{Seconds(0)};
    /// [stop-margin] automatic stop: time simulated after completion. Default 1 s.
    Time m_stopMargin{Seconds(1)};
    /// [max-time] automatic stop: upper bound of the simulation time. Default 300 s.
    Time m_maxTime{Seconds(300)};

    // ---- randomness -----------------------------------------------------------------------
    /// [seed] ns-3 RngSeedManager::SetSeed (>= 1). Default 1.
    uint32_t m_seed{1};
    /// [run] ns-3 RngSeedManager::SetRun: the independent replication. Default 1.
    uint64_t m_run{1};

    // ---- outputs --------------------------------------------------------------------------
    /// [out] output directory (created, parents included; existing outputs of a previous
    /// run are replaced). Default "quic-migration-out". Not echoed in summary.json.
    std::string m_outputDirectory{"quic-migration-out"};
    /// [pcap] write one pcap per link device: <pcap-prefix>-<node>-<device>.pcap.
    bool m_pcap{false};
    /// [pcap-prefix] file name prefix of the pcaps. Default "quic".
    std::string m_pcapPrefix{"quic"};
    /// [keylog] write the NSS key log (keylog.txt) so Wireshark/tshark decrypt the pcaps.
    bool m_keyLog{false};
    /// [qlog] write qlog 0.3 JSON-SEQ files (when the connection model supports it).
    bool m_qlog{false};
    /// [series-max-points] largest number of points of each time series in summary.json
    /// (longer series are decimated deterministically). Default 2000.
    uint32_t m_seriesMaxPoints{2000};
    /// [series-interval] sampling interval of the per-path time series (cwnd, smoothed RTT,
    /// bytes sent and received of every path of both sides); 0 = no per-path series.
    /// Default 100 ms.
    Time m_seriesInterval{MilliSeconds(100)};
    /// [preferred-address] the server offers a preferred address (RFC 9000 §9.6): a second
    /// address on its interface (10.1.1.200, or 2001:db8::200 with ipv6); single link only
    bool m_preferredAddress{false};

    // ---- QUIC knobs (0 / empty = keep the attribute default) ---------------------------------
    /// [max-udp-payload-size] ns3::QuicConnection::MaxUdpPayloadSize (1200..16383).
    uint32_t m_maxUdpPayloadSize{0};
    /// [certificate-size] ns3::QuicConnection::CertificateSize (600..60000 bytes).
    uint32_t m_certificateSize{0};
    /// [cc] ns3::QuicConnection::CongestionControl: a TypeId name derived from
    /// ns3::QuicCongestionOps ("ns3::QuicNewReno", or the short forms "QuicNewReno",
    /// "NewReno", "newreno").
    std::string m_congestionControl;
    /// [initial-rtt] ns3::QuicConnection::InitialRtt (1 ms..10 s).
    Time m_initialRtt{Seconds(0)};

    // ---- timeline -------------------------------------------------------------------------
    /// [event] the event timeline (types rebind and migrate; see ScenarioEvent).
    std::vector<ScenarioEvent> m_events;

    // ---- run-time hooks (not options, not in summary.json) ----------------------------------
    /// interval of m_progress calls in simulation time; 0 = none. Default 0.
    Time m_progressInterval{Seconds(0)};
    /// called every m_progressInterval of simulation time (e.g. to print a progress line).
    ScenarioProgressCallback m_progress;
    /// called at every trace event of the run (ScenarioTraceEvent); empty = none.
    ScenarioTraceCallback m_trace;
    /// also report packet_sent / packet_received / packet_lost to m_trace. Default false.
    bool m_tracePackets{false};
};

/**
 * \ingroup quic-migration-scenario
 * \brief Description of one scenario option (one field of ScenarioConfig).
 */
struct ScenarioOptionInfo
{
    std::string m_name;         //!< option name, e.g. "data-rate"
    std::string m_help;         //!< one-line description with unit and default
    std::string m_defaultValue; //!< default, in the option's text form
    bool m_isSwitch{false};     //!< boolean: `--name` alone means true
    bool m_repeatable{false};   //!< may be given several times (events)
};

/**
 * \ingroup quic-migration-scenario
 * \brief All scenario options, in the order of ScenarioConfig.
 * \return the option descriptions
 */
std::vector<ScenarioOptionInfo> GetScenarioOptions();

/**
 * \ingroup quic-migration-scenario
 * \brief Set one option of a configuration from its text form.
 *
 * Parsing is strict: "abc", "5xs", a negative count or trailing garbage are
 * rejected. Range checks that need the whole configuration are left to
 * ValidateScenarioConfig() (e.g. a negative delay parses here and is rejected
 * there). For repeatable options (event) each call appends.
 *
 * \param config the configuration to change
 * \param name option name (see GetScenarioOptions())
 * \param value option value as text (switches: true/false/1/0/yes/no/on/off)
 * \param error set to a one-line message when false is returned
 * \return true if the option exists and the value parses
 */
bool SetScenarioOption(ScenarioConfig& config,
                       const std::string& name,
                       const std::string& value,
                       std::string& error);

/**
 * \ingroup quic-migration-scenario
 * \brief Parse a duration: a decimal number with an optional unit (s, ms, us, ns, min, h).
 *
 * Unlike ns3::Time's string constructor this never aborts.
 * \param text e.g. "20ms", "1.5s", "-5ms", "2" (seconds)
 * \param value the parsed time
 * \return false on malformed text
 */
bool ParseScenarioTime(const std::string& text, Time& value);

/**
 * \ingroup quic-migration-scenario
 * \brief Parse a data rate in ns-3 DataRate syntax (a bare number is bit/s).
 * \param text e.g. "10Mbps", "500kbps", "1250000Bps", "10000000"
 * \param bps the parsed rate in bit/s
 * \return false on malformed text
 */
bool ParseScenarioDataRate(const std::string& text, uint64_t& bps);

/**
 * \ingroup quic-migration-scenario
 * \brief Parse one timeline event, `TIME:TYPE[:KEY=VALUE[,KEY=VALUE...]]`.
 * \param text the event text
 * \param event the parsed event
 * \param error set to a one-line message when false is returned
 * \return false on malformed text (the type is not checked here)
 */
bool ParseScenarioEvent(const std::string& text, ScenarioEvent& event, std::string& error);

/**
 * \ingroup quic-migration-scenario
 * \brief The event types RunScenario can execute.
 * \return their names: "attack-copy-race", "attack-inject", "attack-reset", "attack-victim",
 *         "migrate", "rebind"
 */
std::vector<std::string> GetSupportedScenarioEventTypes();

/**
 * \ingroup quic-migration-scenario
 * \brief Check a configuration without changing anything (no file, no directory, no
 * simulator state).
 *
 * Checks: positive data rate, non-negative times, start-time < max-time,
 * stop-time (when set) after start-time, loss in [0, 1), queue >= 1, seed >= 1,
 * run >= 1, MTU large enough for the resolved max-udp-payload-size plus UDP/IP
 * headers and at least for 1200-byte QUIC datagrams (RFC 9000 §14), QUIC knobs
 * inside their attribute ranges, a known congestion-control TypeId derived from
 * ns3::QuicCongestionOps, a non-empty pcap prefix without '/', supported event
 * types, and an output directory that can be created (no path component is a
 * regular file, the nearest existing ancestor is a writable directory, the
 * directory itself, if present, is a writable directory).
 *
 * \param config the configuration
 * \return an empty string if valid, else a one-line message
 */
std::string ValidateScenarioConfig(const ScenarioConfig& config);

/**
 * \ingroup quic-migration-scenario
 * \brief A time series sampled from a trace source, bounded in size.
 *
 * Samples are recorded at every change of the traced value while the series
 * has room; when it reaches the bound it keeps every second point and records
 * only every second (then fourth, ...) later change; the last value is always
 * kept. Decimation depends only on the sequence of changes, so it is
 * deterministic.
 */
struct ScenarioSeries
{
    std::vector<int64_t> m_timeNs; //!< sample times, nanoseconds of simulation time
    std::vector<int64_t> m_value;  //!< sample values (unit given by the series)
    uint32_t m_stride{1};          //!< changes per recorded point after decimation
    uint64_t m_changes{0};         //!< changes of the traced value seen
};

/**
 * \ingroup quic-migration-scenario
 * \brief What one side of a connection reports at the end of a run.
 */
struct ScenarioEndpointResult
{
    bool m_present{false};               //!< the connection existed on this side
    std::string m_state;                 //!< final state (HANDSHAKING, CONNECTED, CLOSING, ...)
    bool m_handshakeComplete{false};     //!< handshake completed (RFC 9001 §4.1.1)
    bool m_handshakeConfirmed{false};    //!< handshake confirmed (RFC 9001 §4.1.2)
    int64_t m_handshakeCompleteNs{-1};   //!< when it completed, ns (-1: never)
    int64_t m_handshakeConfirmedNs{-1};  //!< when it was confirmed, ns (-1: never)
    int64_t m_firstInitialSentNs{-1};    //!< first Initial sent, ns (-1: never)
    int64_t m_first1RttSentNs{-1};       //!< first 1-RTT packet sent, ns (-1: never)
    int64_t m_firstStreamDataSentNs{-1}; //!< first STREAM frame sent, ns (-1: never)
    uint64_t m_packetsSent{0};           //!< QUIC packets sent
    uint64_t m_packetsReceived{0};       //!< QUIC packets received and authenticated
    uint64_t m_packetsLost{0};           //!< packets declared lost (RFC 9002 §6.1)
    uint64_t m_packetsDropped{0};        //!< packets or datagrams dropped on receipt
    uint64_t m_datagramsSent{0};         //!< UDP datagrams sent
    uint64_t m_datagramsReceived{0};     //!< UDP datagrams received
    uint64_t m_bytesSent{0};             //!< UDP payload bytes sent
    uint64_t m_bytesReceived{0};         //!< UDP payload bytes received
    uint64_t m_streamBytesSent{0};       //!< STREAM payload bytes sent (with retransmissions)
    uint64_t m_streamBytesDelivered{0};  //!< stream bytes delivered in order
    uint64_t m_ptoCount{0};              //!< probe timeouts
    uint32_t m_maxDatagramSize{0};       //!< largest UDP payload sent
    uint64_t m_finalCwnd{0};             //!< congestion window at the end, bytes
    int64_t m_finalSrttNs{0};            //!< smoothed RTT at the end, ns
    uint64_t m_closeErrorCode{0};        //!< CONNECTION_CLOSE error code (when closed)
    // Path counters from QuicConnection::GetStats(); printed by the runner, not (yet) in
    // summary.json: the Python package mirrors the endpoint object field by field.
    uint32_t m_pathSwitches{0};       //!< active path changes
    uint32_t m_peerAddressChanges{0}; //!< peer address changes seen (RFC 9000 §9.3)
    uint32_t m_pathsValidated{0};     //!< successful path validations (§8.2)
    uint32_t m_validationFailures{0}; //!< abandoned path validations (§8.2.4)
    uint32_t m_pathChallengesSent{0}; //!< PATH_CHALLENGE frames sent
};

/**
 * \ingroup quic-migration-scenario
 * \brief One path of one side of a connection (QuicConnection::GetPath) at the end of a run.
 *
 * The per-path series are sampled every series-interval from the path's own state (RFC 9000
 * §9.4: each path has its own RTT estimate and congestion controller); they are bounded to
 * series-max-points (when full, every second point is dropped and the sampling stride
 * doubles) and end with a sample at the end of the run.
 */
struct ScenarioPathResult
{
    std::string m_side;                         //!< "client" or "server"
    uint32_t m_id{0};                           //!< path id on that side
    std::string m_localAddress;                 //!< local socket address at the end
    std::string m_remoteAddress;                //!< remote socket address at the end
    bool m_validated{false};                    //!< the peer address is validated at the end
    bool m_active{false};                       //!< the active path at the end
    int64_t m_createdNs{-1};                    //!< first seen, ns
    int64_t m_validatedNs{-1};                  //!< first path_validated on it, ns (-1: never)
    int64_t m_activeNs{0};                      //!< total time it was the active path, ns
    uint64_t m_bytesSent{0};                    //!< UDP payload bytes sent on it
    uint64_t m_bytesReceived{0};                //!< UDP payload bytes received on it
    uint64_t m_packetsSent{0};                  //!< QUIC packets sent on it
    uint64_t m_packetsReceived{0};              //!< QUIC packets received on it
    uint64_t m_packetsLost{0};                  //!< packets sent on it declared lost
    uint64_t m_finalCwnd{0};                    //!< its congestion window at the end, bytes
    int64_t m_finalSrttNs{0};                   //!< its smoothed RTT at the end, ns
    uint32_t m_seriesStride{1};                 //!< sampling ticks per recorded point
    std::vector<int64_t> m_seriesTimeNs;        //!< sample times, ns
    std::vector<int64_t> m_seriesCwnd;          //!< congestion window, bytes
    std::vector<int64_t> m_seriesSrttNs;        //!< smoothed RTT, ns
    std::vector<int64_t> m_seriesBytesSent;     //!< cumulative bytes sent
    std::vector<int64_t> m_seriesBytesReceived; //!< cumulative bytes received
    std::vector<int64_t> m_seriesActive;        //!< 1 while the side's active path, else 0
};

/**
 * \ingroup quic-migration-scenario
 * \brief The results of one connection of a run.
 */
struct ScenarioConnectionResult
{
    uint32_t m_id{0};                 //!< index in ScenarioResult::m_connections
    std::string m_clientAddress;      //!< client socket address, "10.1.1.1:49153"
    std::string m_serverAddress;      //!< server socket address, "10.1.1.2:4433"
    ScenarioEndpointResult m_client;  //!< the client side
    ScenarioEndpointResult m_server;  //!< the server side
    uint64_t m_requestedBytes{0};     //!< bytes the client was asked to send
    uint64_t m_deliveredBytes{0};     //!< bytes the server application received
    uint64_t m_patternErrors{0};      //!< received pieces not matching the pattern
    bool m_transferComplete{false};   //!< all bytes and the FIN arrived
    int64_t m_transferStartNs{-1};    //!< application start, ns
    int64_t m_transferCompleteNs{-1}; //!< completion at the server, ns (-1: never)
    std::string m_preferredAddress;   //!< preferred address offered ("" = none)
    bool m_clientOnPreferred{false};  //!< the client moved to it
    bool m_serverOnPreferred{false};  //!< the server moved its traffic to it
    int64_t m_preferredSwitchNs{-1};  //!< when the client switched to it, ns (-1: never)
    double m_goodputBps{0.0};         //!< delivered bits / (completion - start)
    ScenarioSeries m_cwnd;            //!< client congestion window, bytes
    ScenarioSeries m_srtt;            //!< client smoothed RTT, ns
    ScenarioSeries m_delivered;       //!< bytes delivered to the server application
    /// client paths, then server paths, by id (ScenarioPathResult)
    std::vector<ScenarioPathResult> m_paths;
};

/**
 * \ingroup quic-migration-scenario
 * \brief What an attack event of the timeline did (summary.json `events[i].attack`).
 *
 * Byte counts are UDP payload bytes from the server connection's PacketSent and
 * PacketReceived traces (m_datagramSize, one per QUIC packet: after the handshake each
 * datagram holds one packet) for the attack's source address, from the event to the end.
 */
struct ScenarioAttackResult
{
    bool m_present{false};                  //!< the event is an attack
    std::string m_source;                   //!< source address the attacker puts on the wire
    uint64_t m_injected{0};                 //!< datagrams the attacker sent
    uint64_t m_relayed{0};                  //!< server datagrams relayed to the client
    uint64_t m_bytesToSource{0};            //!< server bytes sent to m_source
    uint64_t m_bytesFromSource{0};          //!< server bytes received from m_source
    int64_t m_maxAmplificationPermille{-1}; //!< max running to/from x 1000 (-1: none)
    uint32_t m_validationFailures{0};       //!< server validation_failed events after it
    uint32_t m_fallbacks{0};                //!< server fallback events after it
    uint64_t m_serverDrops{0};              //!< server drops (endpoint and connection) after it
    uint64_t m_clientDrops{0};              //!< client drops (endpoint and connection) after it
    bool m_serverOnSource{false};           //!< the server's active path went to m_source
    std::string m_finalServerPeer;          //!< server's active peer at the end
};

/**
 * \ingroup quic-migration-scenario
 * \brief What happened to one event of the timeline.
 */
struct ScenarioEventResult
{
    ScenarioEvent m_event;      //!< the configured event
    bool m_executed{false};     //!< it ran before the simulation stopped
    int64_t m_executedNs{-1};   //!< when, ns (-1: never)
    std::string m_outcome;      //!< "ok", "refused" or "not-executed"
    std::string m_detail;       //!< one-line description of what it did
    std::string m_newAddress;   //!< client address as the server sees it afterwards ("" unknown)
    int64_t m_validationNs{-1}; //!< event to path_validated (server: rebind, client:
                                //!< migrate), ns (-1: never)
    int64_t m_switchNs{-1};     //!< event to the server's active_path_switched, ns
    int64_t m_migrationDelayNs{-1};        //!< event to the first sink delivery after the switch
    uint64_t m_bytesToUnvalidated{0};      //!< server bytes sent to the new address before
                                           //!< the server validated it
    uint64_t m_receivedFromUnvalidated{0}; //!< server bytes received from it meanwhile
    int64_t m_amplificationPermille{-1};   //!< max running sent/received x 1000 (-1: none)
    uint64_t m_lostAround{0};              //!< client packets declared lost in [event, +1 s]
    int64_t m_cwndBefore{-1};              //!< client cwnd just before, bytes (-1: unknown)
    int64_t m_cwndAfter{-1};               //!< client cwnd 1 s after, bytes (-1: unknown)
    ScenarioAttackResult m_attack;         //!< attack events only (m_present)
};

/**
 * \ingroup quic-migration-scenario
 * \brief Outcome class of RunScenario.
 */
enum class ScenarioStatus
{
    OK,             ///< the run completed and the outputs are written
    INVALID_CONFIG, ///< ValidateScenarioConfig() rejected the configuration; nothing created
    OUTPUT_ERROR,   ///< an output could not be written; nothing left behind
    RUN_ERROR,      ///< the simulation failed (exception); nothing left behind
    INTERRUPTED,    ///< the progress hook asked to stop; nothing left behind
};

/**
 * \ingroup quic-migration-scenario
 * \brief Everything RunScenario reports.
 */
struct ScenarioResult
{
    ScenarioStatus m_status{ScenarioStatus::OK};         //!< outcome class
    std::string m_error;                                 //!< one-line message unless OK
    std::vector<ScenarioConnectionResult> m_connections; //!< one entry per connection
    std::vector<ScenarioEventResult> m_events;           //!< the timeline and what ran
    std::string m_stopReason;          //!< "transfer-complete", "handshake-confirmed", "stop-time",
                                       //!< "max-time"
    int64_t m_endNs{0};                //!< simulation time at the end, ns
    uint64_t m_linkLossDrops[2]{0, 0}; //!< packets lost by the error model, [0] client to
                                       //!< server, [1] server to client
    uint64_t m_queueDrops[2]{0, 0};    //!< packets dropped by the full device queue, same
                                       //!< order
    std::vector<std::string> m_files;  //!< files written, relative to the output directory
    std::string m_summaryJson;         //!< the text of summary.json
    double m_wallClockSeconds{0.0};    //!< wall-clock duration (not in summary.json)

    /// \return true if m_status is OK
    bool IsOk() const
    {
        return m_status == ScenarioStatus::OK;
    }
};

/**
 * \ingroup quic-migration-scenario
 * \brief Build, run and measure one scenario; write its outputs.
 *
 * Steps: ValidateScenarioConfig() (on error: status INVALID_CONFIG, nothing
 * created); outputs go to a fresh temporary directory next to the output
 * directory; seed and run are set, the QUIC knobs applied as attribute
 * defaults; the topology is built, applications installed, random streams
 * assigned in a fixed order; the simulation runs; results are collected and
 * Simulator::Destroy() called; summary.json is written; finally the temporary
 * directory becomes the output directory (renamed when the output directory
 * does not exist; otherwise the previous outputs of this module in it are
 * removed, the new files moved in, summary.json last). So summary.json is
 * present only in a complete output directory. Seed, run and attribute
 * defaults are restored before returning.
 *
 * Same configuration (seed and run included) => byte-identical summary.json,
 * pcaps, key log and qlog files.
 *
 * During the run the ns-3 global value ChecksumEnabled is true (IPv4 and UDP
 * checksums are computed: IPv6 forbids a zero UDP checksum, RFC 8200 §8.1, and
 * Wireshark flags it); its previous value is restored afterwards.
 *
 * Never aborts on a bad configuration and never throws.
 * \param config the scenario
 * \return the results; IsOk() false with m_error set on failure
 */
ScenarioResult RunScenario(const ScenarioConfig& config);

/**
 * \ingroup quic-migration-scenario
 * \brief The summary.json text of a run (layout: doc/summary.schema.json).
 *
 * Fully deterministic: no wall-clock time, no absolute path. Times are
 * seconds with exactly nine decimals (nanosecond resolution, formatted from
 * integers); counts are integers.
 * \param config the configuration (echoed with its resolved values)
 * \param result the results
 * \return the JSON text, ending with a newline
 */
std::string ScenarioSummaryJson(const ScenarioConfig& config, const ScenarioResult& result);

/**
 * \ingroup quic-migration-scenario
 * \brief Name of a loss direction as used by the option "loss-direction".
 * \param direction the direction
 * \return "both", "client-to-server" or "server-to-client"
 */
const char* ScenarioLossDirectionName(ScenarioLossDirection direction);

} // namespace ns3

#endif /* QUIC_MIGRATION_SCENARIO_H */
