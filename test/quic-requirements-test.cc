/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Requirement rows of /work/shared/rfc9000-migration-requirements.md (issue #5) that the
// other system suites do not assert, each on a real simulated network (two or three nodes,
// one connection, traffic), asserting what the row's test idea observes: the PacketSent /
// PacketReceived / PathEvent / PacketDropped traces, the qlog frames (PATH_CHALLENGE and
// PATH_RESPONSE data, ACK ranges) and packets on the devices. Every case names the rows it
// covers; utils/requirements-table.py maps rows to cases (doc/requirements-coverage.rst).

#include "quic-ns3-compat.h"
#include "quic-test-record.h"

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/quic-bulk-send-application.h"
#include "ns3/quic-connection.h"
#include "ns3/quic-endpoint.h"
#include "ns3/quic-frame.h"
#include "ns3/quic-helper.h"
#include "ns3/quic-nat-helper.h"
#include "ns3/quic-nat.h"
#include "ns3/quic-path.h"
#include "ns3/quic-sink-application.h"
#include "ns3/test.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <list>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/// One 1-RTT packet of a qlog trace, with the frames the tests look at.
struct QlogPacket
{
    bool sent{false};                                 //!< packet_sent or packet_received
    uint64_t pn{0};                                   //!< packet number
    std::vector<std::string> challenges;              //!< PATH_CHALLENGE data (hex)
    std::vector<std::string> responses;               //!< PATH_RESPONSE data (hex)
    std::vector<std::pair<uint64_t, uint64_t>> acked; //!< ACK ranges [smallest, largest]
};

/// Value of the string field key after position from in record r ("" if absent).
std::string
StringField(const std::string& r, const std::string& key, size_t from = 0)
{
    std::string k = "\"" + key + "\":\"";
    size_t p = r.find(k, from);
    if (p == std::string::npos)
    {
        return "";
    }
    p += k.size();
    size_t e = r.find('"', p);
    return e == std::string::npos ? "" : r.substr(p, e - p);
}

/// The 1-RTT packets of a qlog JSON-SEQ file (packet_sent and packet_received events).
std::vector<QlogPacket>
ReadQlog(const std::string& file)
{
    std::ifstream in(file);
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::vector<QlogPacket> out;
    std::istringstream records(all);
    std::string r;
    while (std::getline(records, r, '\x1e'))
    {
        bool sent = r.find("\"name\":\"transport:packet_sent\"") != std::string::npos;
        bool received = r.find("\"name\":\"transport:packet_received\"") != std::string::npos;
        if ((!sent && !received) || StringField(r, "packet_type") != "1RTT")
        {
            continue;
        }
        QlogPacket p;
        p.sent = sent;
        size_t pnPos = r.find("\"packet_number\":");
        if (pnPos == std::string::npos)
        {
            continue;
        }
        p.pn = std::stoull(r.substr(pnPos + 16));
        for (size_t f = r.find("\"frame_type\":\""); f != std::string::npos;
             f = r.find("\"frame_type\":\"", f + 1))
        {
            std::string type = StringField(r, "frame_type", f);
            if (type == "path_challenge")
            {
                p.challenges.push_back(StringField(r, "data", f));
            }
            else if (type == "path_response")
            {
                p.responses.push_back(StringField(r, "data", f));
            }
            else if (type == "ack")
            {
                size_t a = r.find("\"acked_ranges\":[", f);
                size_t end = r.find("]]", a);
                if (a == std::string::npos || end == std::string::npos)
                {
                    continue;
                }
                std::string ranges = r.substr(a + 16, end + 1 - (a + 16));
                for (size_t b = ranges.find('['); b != std::string::npos;
                     b = ranges.find('[', b + 1))
                {
                    size_t c = ranges.find(']', b);
                    std::string one = ranges.substr(b + 1, c - b - 1);
                    size_t comma = one.find(',');
                    uint64_t lo = std::stoull(one.substr(0, comma));
                    uint64_t hi =
                        comma == std::string::npos ? lo : std::stoull(one.substr(comma + 1));
                    p.acked.emplace_back(lo, hi);
                }
            }
        }
        out.push_back(p);
    }
    return out;
}

using quictest::Has;
using quictest::Record;
using quictest::RecordConnection;

/// Path-event records "event from to" whose event is e.
std::vector<std::pair<Time, std::string>>
Events(const Record& r, const std::string& e)
{
    std::vector<std::pair<Time, std::string>> out;
    for (const auto& p : r.pathEvents)
    {
        if (p.second.compare(0, e.size() + 1, e + " ") == 0)
        {
            out.push_back(p);
        }
    }
    return out;
}

/**
 * Drops chosen datagrams of the client at the receiving device: the client's PacketSent trace
 * (which fires right after the datagram entered the client's device, whose MacTx trace
 * remembered its uid) decides, the uid goes on the receiver's ListErrorModel.
 */
struct DatagramDropper
{
    Ptr<ListErrorModel> model = CreateObject<ListErrorModel>();
    std::list<uint32_t> uids;
    uint32_t lastUid{0};

    void OnMacTx(Ptr<const Packet> p)
    {
        lastUid = p->GetUid();
    }

    /// Drop the datagram the client just sent (call from its PacketSent trace).
    void DropLast()
    {
        if (std::find(uids.begin(), uids.end(), lastUid) == uids.end())
        {
            uids.push_back(lastUid);
            model->SetList(uids);
        }
    }
};

/**
 * Keeps the UDP payload of the last short-header datagram a device sent (MacTx trace of a
 * point-to-point device), to send it again later: a late or replayed packet on the wire.
 */
struct DatagramRecorder
{
    std::vector<uint8_t> last; //!< UDP payload
    uint32_t count{0};         //!< short-header datagrams seen
    bool frozen{false};        //!< stop recording

    void OnMacTx(Ptr<const Packet> p)
    {
        if (frozen)
        {
            return;
        }
        Ptr<Packet> copy = p->Copy();
        PppHeader ppp;
        Ipv4Header ip;
        UdpHeader udp;
        copy->RemoveHeader(ppp);
        if (ppp.GetProtocol() != 0x0021)
        {
            return;
        }
        copy->RemoveHeader(ip);
        if (ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER)
        {
            return;
        }
        copy->RemoveHeader(udp);
        std::vector<uint8_t> bytes(copy->GetSize());
        copy->CopyData(bytes.data(), bytes.size());
        if (!bytes.empty() && (bytes[0] & 0xc0) == 0x40)
        {
            last = bytes;
            ++count;
        }
    }
};

/**
 * An error model that corrupts (does not drop) chosen packets: it replaces their last byte,
 * part of the AEAD tag of the last QUIC packet, so that decryption fails at the receiver.
 */
class TailCorruptModel : public ErrorModel
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::QuicRequirementsTailCorruptModel")
                                .SetParent<ErrorModel>()
                                .SetGroupName("QuicMigration")
                                .AddConstructor<TailCorruptModel>();
        return tid;
    }

    uint32_t m_toCorrupt{0}; //!< packets still to corrupt
    uint32_t m_corrupted{0}; //!< packets corrupted

  private:
    bool DoCorrupt(Ptr<Packet> p) override
    {
        if (m_toCorrupt == 0 || p->GetSize() < 40)
        {
            return false;
        }
        std::vector<uint8_t> bytes(p->GetSize());
        p->CopyData(bytes.data(), bytes.size());
        uint8_t flipped = static_cast<uint8_t>(bytes.back() ^ 0x5a);
        p->RemoveAtEnd(1);
        p->AddAtEnd(Create<Packet>(&flipped, 1));
        --m_toCorrupt;
        ++m_corrupted;
        return false; // delivered, corrupted
    }

    void DoReset() override
    {
    }
};

NS_OBJECT_ENSURE_REGISTERED(TailCorruptModel);

/// Trace sink types.
using PktCb = Callback<void, Ptr<const QuicConnection>, const QuicPacketTraceInfo&>;
using U64Cb = Callback<void, uint64_t, uint64_t>;
using PacketCb = Callback<void, Ptr<const Packet>>;
using PathCb = Callback<void,
                        Ptr<const QuicConnection>,
                        const std::string&,
                        const std::string&,
                        const std::string&>;

/// Options of the fixture.
struct Options
{
    uint64_t bytes{2000000};     //!< bulk transfer size
    bool nat{false};             //!< client behind a QuicNat router
    std::string delay{"10ms"};   //!< one-way delay per link
    std::string qlogDir;         //!< write qlog files here ("" = none)
    uint32_t serverCidLength{8}; //!< server endpoint ConnectionIdLength
    Time natRebindStart;         //!< QuicNat RebindStart (0 = never)
    Time natRebindInterval;      //!< QuicNat RebindInterval (0 = once)
};

/**
 * Client (node 0) and server (node 1) on one point-to-point link, or client — QuicNat router
 * — server; a bulk transfer client -> server; records of both connections.
 */
class Fixture
{
  public:
    explicit Fixture(const Options& o)
        : m_options(o)
    {
        RngSeedManager::SetSeed(7);
        if (!o.qlogDir.empty())
        {
            Config::SetDefault("ns3::QuicConnection::QlogDirectory", StringValue(o.qlogDir));
        }
        PointToPointHelper p2p;
        p2p.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
        p2p.SetChannelAttribute("Delay", StringValue(o.delay));
        p2p.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("100p"));
        InternetStackHelper stack;
        Ipv4AddressHelper ip;
        if (!o.nat)
        {
            m_nodes.Create(2);
            NetDeviceContainer d = p2p.Install(m_nodes);
            stack.Install(m_nodes);
            ip.SetBase("10.1.1.0", "255.255.255.0");
            Ipv4InterfaceContainer ifs = ip.Assign(d);
            m_clientAddress = ifs.GetAddress(0);
            m_serverAddress = ifs.GetAddress(1);
            m_clientDevice = d.Get(0);
            m_serverDevice = d.Get(1);
        }
        else
        {
            m_nodes.Create(3);
            NetDeviceContainer inside = p2p.Install(m_nodes.Get(0), m_nodes.Get(1));
            NetDeviceContainer outside = p2p.Install(m_nodes.Get(1), m_nodes.Get(2));
            stack.Install(m_nodes);
            ip.SetBase("192.168.1.0", "255.255.255.0");
            Ipv4InterfaceContainer in = ip.Assign(inside);
            ip.SetBase("10.1.1.0", "255.255.255.0");
            Ipv4InterfaceContainer out = ip.Assign(outside);
            m_clientAddress = in.GetAddress(0);
            m_serverAddress = out.GetAddress(1);
            m_clientDevice = inside.Get(0);
            m_serverDevice = outside.Get(1);
            Ipv4GlobalRoutingHelper::PopulateRoutingTables();
            QuicNatHelper natHelper;
            natHelper.SetAttribute("RebindStart", TimeValue(o.natRebindStart));
            natHelper.SetAttribute("RebindInterval", TimeValue(o.natRebindInterval));
            m_nat = natHelper.Install(m_nodes.Get(1), 1, 2);
            m_nat->AssignStreams(77);
        }
        Ptr<Node> server = m_nodes.Get(m_nodes.GetN() - 1);
        m_serverEp = QuicEndpoint::Install(server);
        m_clientEp = QuicEndpoint::Install(m_nodes.Get(0));
        m_serverEp->SetAttribute("ConnectionIdLength", UintegerValue(o.serverCidLength));
        m_serverEp->AssignStreams(10);
        m_clientEp->AssignStreams(20);
        m_serverEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&Fixture::OnServerConn, this));
        m_clientEp->TraceConnectWithoutContext("NewConnection",
                                               MakeCallback(&Fixture::OnClientConn, this));
        QuicSinkHelper sink(InetSocketAddress(Ipv4Address::GetAny(), 4433));
        m_sinkApps = sink.Install(server);
        QuicBulkSendHelper bulk(InetSocketAddress(m_serverAddress, 4433));
        bulk.SetAttribute("MaxBytes", UintegerValue(o.bytes));
        bulk.SetAttribute("CloseOnComplete", BooleanValue(false));
        m_bulkApps = bulk.Install(m_nodes.Get(0));
        m_bulkApps.Start(Seconds(0.1));
    }

    ~Fixture()
    {
        Finish();
    }

    /// End the simulation (flushes the qlog files); the records stay.
    void Finish()
    {
        if (!m_finished)
        {
            m_finished = true;
            if (m_client)
            {
                m_odcid = m_client->GetOriginalDestinationCid().ToHex();
            }
            Simulator::Destroy();
            Config::Reset();
        }
    }

    /// \return the client's (true) or server's qlog packets; Finish() first
    std::vector<QlogPacket> Qlog(bool client) const
    {
        return ReadQlog(m_options.qlogDir + "/" + m_odcid + (client ? "_client" : "_server") +
                        ".sqlog");
    }

    void OnServerConn(Ptr<QuicConnection> c)
    {
        m_server = c;
        Connect(c, &m_srv);
    }

    void OnClientConn(Ptr<QuicConnection> c)
    {
        m_client = c;
        Connect(c, &m_cli);
    }

    static void Connect(Ptr<QuicConnection> c, Record* r)
    {
        RecordConnection(c, r);
    }

    /// Add a second address to the client's interface (same link).
    Ipv4Address AddClientAddress(const char* address)
    {
        Ptr<Ipv4> ipv4 = m_nodes.Get(0)->GetObject<Ipv4>();
        uint32_t ifIndex = ipv4->GetInterfaceForDevice(m_clientDevice);
        ipv4->AddAddress(ifIndex, Ipv4InterfaceAddress(Ipv4Address(address), "255.255.255.0"));
        return Ipv4Address(address);
    }

    /// Install a dropper of client datagrams at the server's device.
    void InstallDropper(DatagramDropper* d)
    {
        m_clientDevice->TraceConnectWithoutContext("MacTx",
                                                   MakeCallback(&DatagramDropper::OnMacTx, d));
        DynamicCast<PointToPointNetDevice>(m_serverDevice)->SetReceiveErrorModel(d->model);
    }

    Ptr<QuicSinkApplication> Sink()
    {
        return DynamicCast<QuicSinkApplication>(m_sinkApps.Get(0));
    }

    Options m_options;
    bool m_finished{false};
    std::string m_odcid;
    NodeContainer m_nodes;
    Ptr<NetDevice> m_clientDevice;
    Ptr<NetDevice> m_serverDevice;
    Ipv4Address m_clientAddress;
    Ipv4Address m_serverAddress;
    Ptr<QuicNat> m_nat;
    Ptr<QuicEndpoint> m_serverEp;
    Ptr<QuicEndpoint> m_clientEp;
    ApplicationContainer m_sinkApps;
    ApplicationContainer m_bulkApps;
    Ptr<QuicConnection> m_server;
    Ptr<QuicConnection> m_client;
    Record m_srv;
    Record m_cli;
};

/// Create a directory for qlog files.
std::string
QlogDir(const std::string& dir)
{
    SystemPath::MakeDirectories(dir);
    return dir;
}

/// IPv4 address of a socket address.
Ipv4Address
Ip(const Address& a)
{
    return InetSocketAddress::ConvertFrom(a).GetIpv4();
}

} // namespace

/**
 * \ingroup quic-migration-tests
 * PV-03 PV-04 PV-08 PV-13: during a transfer through a NAT that rebinds every 2 s, every
 * PATH_CHALLENGE either endpoint sends carries data never sent before, no packet carries more
 * than one PATH_CHALLENGE, and every challenge received is answered exactly once with the
 * same data. The data comes from the connection's random stream: another run number gives
 * other data, the same run the same data.
 */
class QuicChallengeDataTestCase : public TestCase
{
  public:
    QuicChallengeDataTestCase()
        : TestCase("PV-03 PV-04 PV-08 PV-13 fresh challenge data, one per packet, one response")
    {
    }

  private:
    /// Challenge data sent by both endpoints in one run.
    std::vector<std::string> RunOnce(uint32_t run,
                                     uint32_t& maxPerPacket,
                                     uint32_t& unanswered,
                                     uint32_t& extraResponses)
    {
        RngSeedManager::SetRun(run);
        Options o;
        o.bytes = 6000000;
        o.nat = true;
        o.delay = "5ms";
        o.qlogDir = QlogDir(CreateTempDirFilename("pv03-" + std::to_string(run)));
        o.natRebindStart = Seconds(1);
        o.natRebindInterval = Seconds(2);
        Fixture f(o);
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        f.Finish();
        std::vector<std::string> data;
        maxPerPacket = 0;
        unanswered = 0;
        extraResponses = 0;
        for (bool client : {true, false})
        {
            std::map<std::string, uint32_t> received;
            std::map<std::string, uint32_t> answered;
            for (const QlogPacket& p : f.Qlog(client))
            {
                if (p.sent)
                {
                    maxPerPacket = std::max<uint32_t>(maxPerPacket, p.challenges.size());
                    data.insert(data.end(), p.challenges.begin(), p.challenges.end());
                    for (const auto& r : p.responses)
                    {
                        ++answered[r];
                    }
                }
                else
                {
                    for (const auto& c : p.challenges)
                    {
                        ++received[c];
                    }
                }
            }
            for (const auto& c : received)
            {
                unanswered += answered.count(c.first) ? 0 : 1;
                extraResponses += answered[c.first] > c.second ? 1 : 0;
            }
        }
        return data;
    }

    void DoRun() override
    {
        uint32_t perPacket = 0;
        uint32_t unanswered = 0;
        uint32_t extra = 0;
        std::vector<std::string> a = RunOnce(1, perPacket, unanswered, extra);
        NS_TEST_ASSERT_MSG_GT_OR_EQ(a.size(), 4, "challenges sent on the rebound paths");
        std::set<std::string> unique(a.begin(), a.end());
        NS_TEST_ASSERT_MSG_EQ(unique.size(), a.size(), "PV-03: no challenge data repeated");
        for (const auto& d : a)
        {
            NS_TEST_ASSERT_MSG_EQ(d.size(), 16, "8 bytes of data");
        }
        NS_TEST_ASSERT_MSG_EQ(perPacket, 1, "PV-04: at most one PATH_CHALLENGE per packet");
        NS_TEST_ASSERT_MSG_EQ(unanswered, 0, "PV-08: every challenge received is answered");
        NS_TEST_ASSERT_MSG_EQ(extra, 0, "PV-13: no challenge answered twice");
        std::vector<std::string> again = RunOnce(1, perPacket, unanswered, extra);
        NS_TEST_ASSERT_MSG_EQ((again == a), true, "same run: same data (deterministic)");
        std::vector<std::string> other = RunOnce(2, perPacket, unanswered, extra);
        uint32_t common = 0;
        for (const auto& d : other)
        {
            common += unique.count(d);
        }
        NS_TEST_ASSERT_MSG_GT(other.size(), 0, "challenges in the other run");
        NS_TEST_ASSERT_MSG_EQ(common, 0, "PV-03: other run number, other (unpredictable) data");
        RngSeedManager::SetRun(1);
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-13 PV-02: the client migrates (switch immediately); the first datagram carrying its
 * PATH_RESPONSE to the server's challenge on the new path is lost. The client does not send
 * that response again; the server challenges again with new data, which gets its own
 * response and validates the path. Until then, ACKs and STREAM data from the new path did
 * not validate it (PV-02).
 */
class QuicLostResponseTestCase : public TestCase
{
  public:
    QuicLostResponseTestCase()
        : TestCase("PV-13 PV-02 lost PATH_RESPONSE not repaired, new challenge, new response")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 3000000;
        o.qlogDir = QlogDir(CreateTempDirFilename("pv13"));
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        DatagramDropper dropper;
        f.InstallDropper(&dropper);
        bool dropped = false;
        Time droppedAt;
        f.m_cli.sent.reserve(10000);
        Simulator::Schedule(Seconds(1), [&f, second, &dropped, &dropper, &droppedAt]() {
            f.m_client->TraceConnectWithoutContext(
                "PacketSent",
                PktCb([&dropped, &dropper, &droppedAt, second](Ptr<const QuicConnection>,
                                                               const QuicPacketTraceInfo& i) {
                    if (!dropped && Has(i, QuicFrameType::PATH_RESPONSE) && Ip(i.m_local) == second)
                    {
                        dropped = true;
                        droppedAt = Simulator::Now();
                        dropper.DropLast();
                    }
                }));
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::SWITCH_IMMEDIATELY);
        });
        Simulator::Stop(Seconds(8));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(dropped, true, "a response from the new address was dropped");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        // Server: validated the client's new address, after the loss.
        Time validated;
        for (const auto& e : Events(f.m_srv, "path_validated"))
        {
            if (e.second.find("10.1.1.77") != std::string::npos)
            {
                validated = e.first;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_GT(validated, droppedAt, "server validated the new path later");
        // PV-02: between the loss and the validation, ACK and STREAM frames from the new path
        // arrived without validating it.
        uint32_t acksBefore = 0;
        uint32_t streamBefore = 0;
        for (const auto& r : f.m_srv.received)
        {
            if (Ip(r.info.m_remote) == second && r.t > droppedAt && r.t < validated)
            {
                acksBefore += (r.info.m_frameTypes & QUIC_FRAME_MASK_ACK) ? 1 : 0;
                streamBefore += (r.info.m_frameTypes & QUIC_FRAME_MASK_STREAM) ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_GT(acksBefore, 0, "PV-02: ACKs from the new path did not validate it");
        NS_TEST_ASSERT_MSG_GT(streamBefore, 0, "PV-02: nor did STREAM data");
        f.Finish();
        // Server challenges toward the new path, client responses.
        std::vector<std::string> serverChallenges;
        for (const QlogPacket& p : f.Qlog(false))
        {
            if (p.sent)
            {
                serverChallenges.insert(serverChallenges.end(),
                                        p.challenges.begin(),
                                        p.challenges.end());
            }
        }
        std::map<std::string, uint32_t> responses;
        for (const QlogPacket& p : f.Qlog(true))
        {
            for (const auto& r : p.responses)
            {
                responses[r] += p.sent ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(serverChallenges.size(), 2, "server challenged again");
        uint32_t repeated = 0;
        for (const auto& r : responses)
        {
            repeated += r.second > 1 ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(repeated, 0, "PV-13: no PATH_RESPONSE sent twice");
        std::set<std::string> uniqueChallenges(serverChallenges.begin(), serverChallenges.end());
        NS_TEST_ASSERT_MSG_EQ(uniqueChallenges.size(),
                              serverChallenges.size(),
                              "PV-13: the new challenge carries new data");
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-02 AMP-01: the client migrates and every datagram carrying its PATH_RESPONSE is lost.
 * The server receives, on the new path, an ACK of the packet that carried its challenge and
 * STREAM data, but never considers the path validated (no path_validated, still limited to
 * 3x what it received there) until it gives up.
 */
class QuicNoResponseNoValidationTestCase : public TestCase
{
  public:
    QuicNoResponseNoValidationTestCase()
        : TestCase("PV-02 ACKs and data on a new path never validate it without PATH_RESPONSE")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 3000000;
        o.qlogDir = QlogDir(CreateTempDirFilename("pv02"));
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        DatagramDropper dropper;
        f.InstallDropper(&dropper);
        uint32_t droppedResponses = 0;
        Simulator::Schedule(Seconds(1), [&f, second, &dropper, &droppedResponses]() {
            f.m_client->TraceConnectWithoutContext(
                "PacketSent",
                PktCb([&dropper, &droppedResponses, second](Ptr<const QuicConnection>,
                                                            const QuicPacketTraceInfo& i) {
                    if (Has(i, QuicFrameType::PATH_RESPONSE) && Ip(i.m_local) == second)
                    {
                        ++droppedResponses;
                        dropper.DropLast();
                    }
                }));
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::SWITCH_IMMEDIATELY);
        });
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_GT(droppedResponses, 0, "responses from the new address dropped");
        Time firstChallenge = Time::Max();
        uint64_t sentToNew = 0;
        Time failed = f.m_srv.firstEvent.count("validation_failed")
                          ? f.m_srv.firstEvent["validation_failed"]
                          : Seconds(6);
        for (const auto& s : f.m_srv.sent)
        {
            if (Ip(s.info.m_remote) == second && s.t < failed)
            {
                if (Has(s.info, QuicFrameType::PATH_CHALLENGE))
                {
                    firstChallenge = std::min(firstChallenge, s.t);
                }
                sentToNew += s.info.m_datagramSize;
            }
        }
        NS_TEST_ASSERT_MSG_LT(firstChallenge, Seconds(2), "server challenged the new path");
        // Packet number of the server's first challenge on the new path.
        uint64_t challengePn = UINT64_MAX;
        for (const auto& s : f.m_srv.sent)
        {
            if (s.t == firstChallenge && Has(s.info, QuicFrameType::PATH_CHALLENGE))
            {
                challengePn = s.info.m_packetNumber;
                break;
            }
        }
        uint32_t stream = 0;
        uint64_t receivedFromNew = 0;
        std::set<uint64_t> pnsFromNew; // client packets received on the new path, in time
        for (const auto& r : f.m_srv.received)
        {
            if (Ip(r.info.m_remote) == second && r.t < failed)
            {
                receivedFromNew += r.info.m_datagramSize;
                if (r.t > firstChallenge && r.info.m_type == QuicPacketType::ONE_RTT)
                {
                    pnsFromNew.insert(r.info.m_packetNumber);
                    stream += (r.info.m_frameTypes & QUIC_FRAME_MASK_STREAM) ? 1 : 0;
                }
            }
        }
        NS_TEST_ASSERT_MSG_GT(stream, 100, "STREAM data arrived on the new path");
        f.Finish();
        // An ACK of the challenge's packet arrived on the new path (PV-02 test idea).
        uint32_t acksOfChallenge = 0;
        for (const QlogPacket& p : f.Qlog(false))
        {
            if (p.sent || pnsFromNew.count(p.pn) == 0)
            {
                continue;
            }
            for (const auto& range : p.acked)
            {
                acksOfChallenge += (range.first <= challengePn && challengePn <= range.second);
            }
        }
        NS_TEST_ASSERT_MSG_GT(acksOfChallenge, 0, "the challenge's packet was acknowledged");
        for (const auto& e : Events(f.m_srv, "path_validated"))
        {
            NS_TEST_ASSERT_MSG_EQ(e.second.find("10.1.1.77"),
                                  std::string::npos,
                                  "PV-02: the new path is never validated");
        }
        NS_TEST_ASSERT_MSG_LT_OR_EQ(sentToNew,
                                    3 * receivedFromNew,
                                    "AMP-01: still within 3x of what the new path delivered");
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-07 PV-12 PV-10 PV-09 PV-08: after a rebinding of the idle client to a new port, it
 * sends one small datagram (under 1200 bytes) carrying a PATH_CHALLENGE. The server does not
 * drop it for its size and answers at once, on the path it arrived on, with the same data,
 * in a datagram no larger than 3x what that path delivered.
 */
class QuicSmallChallengeTestCase : public TestCase
{
  public:
    QuicSmallChallengeTestCase()
        : TestCase("PV-07 PV-12 PV-10 PV-09 small PATH_CHALLENGE datagram answered within 3x")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 20000;
        o.qlogDir = QlogDir(CreateTempDirFilename("pv07"));
        Fixture f(o);
        static const uint8_t data[8] = {0xa1, 0xb2, 0xc3, 0xd4, 0xe5, 0xf6, 0x07, 0x18};
        Address newLocal;
        Simulator::Schedule(Seconds(2), [&f, &newLocal]() {
            f.m_client->RebindForTesting(InetSocketAddress(f.m_clientAddress, 0));
            newLocal = f.m_client->GetActivePath().GetLocalAddress();
            f.m_client->QueueFrameForTesting(QuicFrame::PathChallenge(data));
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        // The datagram with the challenge, as the server received it.
        const Record::Tx* rx = nullptr;
        for (const auto& r : f.m_srv.received)
        {
            if (r.info.m_remote == newLocal && Has(r.info, QuicFrameType::PATH_CHALLENGE))
            {
                rx = &r;
                break;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(bool(rx), true, "PV-07: the small challenge was processed");
        if (rx == nullptr)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_LT(rx->info.m_datagramSize, 1200, "the challenge datagram is small");
        uint64_t receivedOnPath = 0;
        for (const auto& r : f.m_srv.received)
        {
            receivedOnPath +=
                (r.info.m_remote == newLocal && r.t <= rx->t) ? r.info.m_datagramSize : 0;
        }
        const Record::Tx* tx = nullptr;
        uint64_t sentOnPath = 0;
        for (const auto& s : f.m_srv.sent)
        {
            if (s.info.m_remote == newLocal && s.t >= rx->t)
            {
                sentOnPath += s.info.m_datagramSize;
                if (tx == nullptr && Has(s.info, QuicFrameType::PATH_RESPONSE))
                {
                    tx = &s;
                    break;
                }
            }
        }
        NS_TEST_ASSERT_MSG_EQ(bool(tx), true, "a PATH_RESPONSE was sent");
        if (tx == nullptr)
        {
            return;
        }
        NS_TEST_ASSERT_MSG_EQ(tx->info.m_local, rx->info.m_local, "PV-10: same local address");
        NS_TEST_ASSERT_MSG_EQ(tx->info.m_remote, rx->info.m_remote, "PV-10: back to the source");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(tx->t - rx->t, MilliSeconds(1), "PV-09: without delay");
        NS_TEST_ASSERT_MSG_LT_OR_EQ(sentOnPath,
                                    3 * receivedOnPath,
                                    "PV-12: the response stays within the 3x budget");
        NS_TEST_ASSERT_MSG_EQ(f.m_srv.drops.count(QuicDropReason::INITIAL_TOO_SMALL),
                              0,
                              "PV-07: nothing dropped for its size");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetState(), QuicConnection::CONNECTED, "PV-07: alive");
        f.Finish();
        uint32_t echoed = 0;
        for (const QlogPacket& p : f.Qlog(true))
        {
            for (const auto& r : p.responses)
            {
                echoed += (!p.sent && r == quictest_hex(data)) ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(echoed, 1, "PV-08: the client received its data back once");
    }

    static std::string quictest_hex(const uint8_t* d)
    {
        static const char digits[] = "0123456789abcdef";
        std::string s;
        for (int i = 0; i < 8; ++i)
        {
            s.push_back(digits[d[i] >> 4]);
            s.push_back(digits[d[i] & 0xf]);
        }
        return s;
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-10 PV-09 PV-12 PV-05: a client migration (switch immediately): every PATH_CHALLENGE
 * either endpoint receives is answered from the address it arrived on, to the address it
 * came from, within a millisecond; every PATH_CHALLENGE and PATH_RESPONSE datagram is padded
 * to 1200 bytes (the budget allows it here: the client's new path carries full data
 * packets).
 */
class QuicResponsePathTestCase : public TestCase
{
  public:
    QuicResponsePathTestCase()
        : TestCase("PV-10 PV-09 PV-12 responses on the reversed 4-tuple, at once, padded")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 2000000;
        o.qlogDir = QlogDir(CreateTempDirFilename("pv10"));
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        Simulator::Schedule(Seconds(1), [&f, second]() {
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::SWITCH_IMMEDIATELY);
        });
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "all data delivered");
        f.Finish();
        uint32_t pairs = 0;
        for (bool client : {true, false})
        {
            const Record& rec = client ? f.m_cli : f.m_srv;
            std::map<uint64_t, const Record::Tx*> rxByPn;
            std::map<uint64_t, const Record::Tx*> txByPn;
            for (const auto& r : rec.received)
            {
                if (r.info.m_type == QuicPacketType::ONE_RTT)
                {
                    rxByPn[r.info.m_packetNumber] = &r;
                }
            }
            for (const auto& s : rec.sent)
            {
                if (s.info.m_type == QuicPacketType::ONE_RTT)
                {
                    txByPn[s.info.m_packetNumber] = &s;
                }
            }
            std::map<std::string, const Record::Tx*> challengeRx;
            std::vector<std::pair<std::string, const Record::Tx*>> responseTx;
            for (const QlogPacket& p : f.Qlog(client))
            {
                const auto& index = p.sent ? txByPn : rxByPn;
                auto it = index.find(p.pn);
                if (it == index.end())
                {
                    continue;
                }
                if (!p.sent)
                {
                    for (const auto& c : p.challenges)
                    {
                        challengeRx.emplace(c, it->second);
                    }
                }
                else
                {
                    for (const auto& r : p.responses)
                    {
                        responseTx.emplace_back(r, it->second);
                    }
                }
            }
            NS_TEST_ASSERT_MSG_GT(challengeRx.size(), 0, "challenges received");
            for (const auto& c : challengeRx)
            {
                const Record::Tx* tx = nullptr;
                for (const auto& r : responseTx)
                {
                    if (r.first == c.first)
                    {
                        tx = r.second;
                    }
                }
                NS_TEST_ASSERT_MSG_EQ(bool(tx), true, "PV-08: answered");
                if (tx == nullptr)
                {
                    continue;
                }
                ++pairs;
                NS_TEST_ASSERT_MSG_EQ(tx->info.m_local, c.second->info.m_local, "PV-10: local");
                NS_TEST_ASSERT_MSG_EQ(tx->info.m_remote, c.second->info.m_remote, "PV-10: remote");
                NS_TEST_ASSERT_MSG_LT_OR_EQ(tx->t - c.second->t,
                                            MilliSeconds(1),
                                            "PV-09: no deliberate delay");
                NS_TEST_ASSERT_MSG_GT_OR_EQ(tx->info.m_datagramSize,
                                            1200,
                                            "PV-12: response datagram padded to 1200 bytes");
            }
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(pairs, 3, "challenge/response pairs on both sides");
        uint32_t challengeDatagrams = 0;
        for (const Record* rec : {&f.m_cli, &f.m_srv})
        {
            for (const auto& s : rec->sent)
            {
                if (Has(s.info, QuicFrameType::PATH_CHALLENGE))
                {
                    ++challengeDatagrams;
                    NS_TEST_ASSERT_MSG_GT_OR_EQ(s.info.m_datagramSize,
                                                1200,
                                                "PV-05: challenge datagram padded to 1200 bytes");
                }
            }
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(challengeDatagrams, 3, "challenges on both sides");
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-11: the NAT rebinds again while the client's PATH_RESPONSE to the server's challenge of
 * the first rebinding is on its way, so the response reaches the server from yet another
 * address. The server still validates the path it challenged.
 */
class QuicResponseOnOtherPathTestCase : public TestCase
{
  public:
    QuicResponseOnOtherPathTestCase()
        : TestCase("PV-11 a PATH_RESPONSE arriving on another path validates the challenged one")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 2000000;
        o.nat = true;
        o.delay = "7500us";
        Fixture f(o);
        bool rebound = false;
        Simulator::Schedule(Seconds(1), [&f, &rebound]() {
            f.m_nat->Rebind();
            Ptr<QuicNat> nat = f.m_nat;
            f.m_client->TraceConnectWithoutContext(
                "PacketSent",
                PktCb([nat, &rebound](Ptr<const QuicConnection>, const QuicPacketTraceInfo& i) {
                    if (!rebound && Has(i, QuicFrameType::PATH_RESPONSE))
                    {
                        rebound = true;
                        nat->Rebind(); // before the datagram reaches the NAT
                    }
                }));
        });
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(rebound, true, "second rebinding while the response travelled");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "all data delivered");
        // The addresses the server saw: handshake, first rebinding (challenged), second.
        std::vector<Address> remotes;
        for (const auto& r : f.m_srv.received)
        {
            if (std::find(remotes.begin(), remotes.end(), r.info.m_remote) == remotes.end())
            {
                remotes.push_back(r.info.m_remote);
            }
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(remotes.size(), 3, "three client addresses");
        if (remotes.size() < 3)
        {
            return;
        }
        const Address& challenged = remotes[1];
        uint32_t challengesToIt = 0;
        for (const auto& s : f.m_srv.sent)
        {
            challengesToIt +=
                (s.info.m_remote == challenged && Has(s.info, QuicFrameType::PATH_CHALLENGE)) ? 1
                                                                                              : 0;
        }
        NS_TEST_ASSERT_MSG_GT(challengesToIt, 0, "the server challenged the first new address");
        uint32_t responsesFromIt = 0;
        uint32_t responsesElsewhere = 0;
        for (const auto& r : f.m_srv.received)
        {
            if (Has(r.info, QuicFrameType::PATH_RESPONSE))
            {
                (r.info.m_remote == challenged ? responsesFromIt : responsesElsewhere) += 1;
            }
        }
        NS_TEST_ASSERT_MSG_EQ(responsesFromIt, 0, "no response came back on the challenged path");
        NS_TEST_ASSERT_MSG_GT(responsesElsewhere, 0, "responses came from the newer address");
        std::string text = QuicPath::AddressToString(challenged);
        bool validated = false;
        for (const auto& e : Events(f.m_srv, "path_validated"))
        {
            const std::string tail = " " + text;
            validated = validated ||
                        (e.second.size() > tail.size() &&
                         e.second.compare(e.second.size() - tail.size(), tail.size(), tail) == 0);
        }
        NS_TEST_ASSERT_MSG_EQ(validated, true, "PV-11: the challenged path was validated");
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-04 CC-04 PV-14: the client migrates to an address the server cannot reach. Its
 * PATH_CHALLENGEs on that path are spaced at least one PTO computed with kInitialRtt
 * (333 ms + 4 x 166.5 ms, about 1 s) and the spacing doubles, one challenge per packet.
 */
class QuicChallengeCadenceTestCase : public TestCase
{
  public:
    QuicChallengeCadenceTestCase()
        : TestCase("PV-04 CC-04 challenges on a black-holed path at PTO cadence with backoff")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 2000000;
        o.qlogDir = QlogDir(CreateTempDirFilename("pv04"));
        Fixture f(o);
        Ipv4Address unreachable = f.AddClientAddress("10.9.9.9");
        Simulator::Schedule(Seconds(1), [&f, unreachable]() {
            f.m_client->Migrate(InetSocketAddress(unreachable, 0),
                                QuicConnection::PROBE_THEN_SWITCH);
        });
        Simulator::Stop(Seconds(12));
        Simulator::Run();
        std::vector<Time> times;
        for (const auto& s : f.m_cli.sent)
        {
            if (Ip(s.info.m_local) == unreachable && Has(s.info, QuicFrameType::PATH_CHALLENGE))
            {
                times.push_back(s.t);
            }
        }
        NS_TEST_ASSERT_MSG_GT_OR_EQ(times.size(), 2, "several challenges on the dead path");
        NS_TEST_ASSERT_MSG_EQ(f.m_cli.firstEvent.count("validation_failed"), 1, "given up");
        // PTO of a path without RTT sample (RFC 9002 §6.2.2, max_ack_delay left out).
        const Time minPto = MilliSeconds(333) + 4 * MicroSeconds(166500);
        for (size_t i = 1; i < times.size(); ++i)
        {
            Time gap = times[i] - times[i - 1];
            NS_TEST_ASSERT_MSG_GT_OR_EQ(gap, minPto, "PV-04 CC-04: not faster than the PTO");
            if (i >= 2)
            {
                NS_TEST_ASSERT_MSG_GT_OR_EQ(gap,
                                            2 * (times[i - 1] - times[i - 2]) - MilliSeconds(1),
                                            "CC-04: the interval backs off (doubles)");
            }
        }
        f.Finish();
        for (bool client : {true, false})
        {
            for (const QlogPacket& p : f.Qlog(client))
            {
                NS_TEST_ASSERT_MSG_LT_OR_EQ(p.challenges.size(), 1, "PV-04: one per packet");
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * PV-16 PRIV-06: the client allows only two active connection IDs, so it holds one spare
 * server CID. A first migration uses it; a second one at the same moment is refused (no
 * packet leaves the third address) until the server has issued a new CID, after which the
 * same migration succeeds.
 */
class QuicCidLimitedProbingTestCase : public TestCase
{
  public:
    QuicCidLimitedProbingTestCase()
        : TestCase("PV-16 PRIV-06 probing a further path waits for a spare connection ID")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Config::SetDefault("ns3::QuicConnection::ActiveConnectionIdLimit", UintegerValue(2));
        Options o;
        o.bytes = 2000000;
        Fixture f(o);
        Ipv4Address b = f.AddClientAddress("10.1.1.77");
        Ipv4Address c = f.AddClientAddress("10.1.1.78");
        size_t spareBefore = 99;
        bool first = false;
        bool secondAtOnce = true;
        bool secondLater = false;
        Time refusedAt;
        Simulator::Schedule(Seconds(1), [&]() {
            spareBefore = f.m_client->GetSpareDestinationCidCount();
            first = f.m_client->Migrate(InetSocketAddress(b, 0), QuicConnection::PROBE_THEN_SWITCH);
            secondAtOnce =
                f.m_client->Migrate(InetSocketAddress(c, 0), QuicConnection::PROBE_THEN_SWITCH);
            refusedAt = Simulator::Now();
        });
        Simulator::Schedule(Seconds(2), [&]() {
            secondLater =
                f.m_client->Migrate(InetSocketAddress(c, 0), QuicConnection::PROBE_THEN_SWITCH);
        });
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(spareBefore, 1, "one spare server CID (limit 2)");
        NS_TEST_ASSERT_MSG_EQ(first, true, "the first migration uses the spare CID");
        NS_TEST_ASSERT_MSG_EQ(secondAtOnce, false, "PRIV-06: no spare CID, no migration");
        NS_TEST_ASSERT_MSG_EQ(secondLater, true, "PV-16: possible once a new CID arrived");
        uint32_t fromCBeforeLater = 0;
        uint32_t fromCAfter = 0;
        std::map<QuicConnectionId, std::set<Ipv4Address>> localsPerCid;
        for (const auto& s : f.m_cli.sent)
        {
            if (Ip(s.info.m_local) == c)
            {
                (s.t < Seconds(2) ? fromCBeforeLater : fromCAfter) += 1;
            }
            if (s.info.m_type == QuicPacketType::ONE_RTT)
            {
                localsPerCid[s.info.m_dcid].insert(Ip(s.info.m_local));
            }
        }
        NS_TEST_ASSERT_MSG_EQ(fromCBeforeLater, 0, "PV-16: the third address was not probed");
        NS_TEST_ASSERT_MSG_GT(fromCAfter, 0, "then it was probed");
        for (const auto& l : localsPerCid)
        {
            NS_TEST_ASSERT_MSG_EQ(l.second.size(), 1, "PRIV-02: one local address per CID");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-07: the client probes a new address before moving to it. Until the first non-probing
 * packet from that address arrives, everything the server sends there is a probing packet.
 */
class QuicServerOnlyProbesTestCase : public TestCase
{
  public:
    QuicServerOnlyProbesTestCase()
        : TestCase("MIG-07 server sends only probing packets to a probing client address")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 2000000;
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        Simulator::Schedule(Seconds(1), [&f, second]() {
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::PROBE_THEN_SWITCH);
        });
        Simulator::Stop(Seconds(5));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "all data delivered");
        Time firstNonProbing = Time::Max();
        uint32_t probesReceived = 0;
        for (const auto& r : f.m_srv.received)
        {
            if (Ip(r.info.m_remote) != second)
            {
                continue;
            }
            if (r.info.m_probing)
            {
                ++probesReceived;
            }
            else
            {
                firstNonProbing = std::min(firstNonProbing, r.t);
            }
        }
        NS_TEST_ASSERT_MSG_GT(probesReceived, 0, "the client probed first");
        NS_TEST_ASSERT_MSG_LT(firstNonProbing, Seconds(5), "then moved");
        uint32_t before = 0;
        uint32_t after = 0;
        for (const auto& s : f.m_srv.sent)
        {
            if (Ip(s.info.m_remote) != second)
            {
                continue;
            }
            if (s.t < firstNonProbing)
            {
                ++before;
                NS_TEST_ASSERT_MSG_EQ(s.info.m_probing,
                                      true,
                                      "MIG-07: only probing packets before the client moved");
            }
            else
            {
                after += s.info.m_probing ? 0 : 1;
            }
        }
        NS_TEST_ASSERT_MSG_GT(before, 0, "the server answered the probe");
        NS_TEST_ASSERT_MSG_GT(after, 0, "non-probing packets once the client moved");
    }
};

/**
 * \ingroup quic-migration-tests
 * AMP-02: datagrams from the client whose packets fail authentication (tag corrupted on the
 * wire) are discarded, but their whole UDP payload still counts as received on the path,
 * the base of the anti-amplification budget.
 */
class QuicUndecryptableCountsTestCase : public TestCase
{
  public:
    QuicUndecryptableCountsTestCase()
        : TestCase("AMP-02 undecryptable datagrams count toward the amplification budget")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 1000000;
        Fixture f(o);
        Ptr<TailCorruptModel> corrupt = CreateObject<TailCorruptModel>();
        DynamicCast<PointToPointNetDevice>(f.m_serverDevice)->SetReceiveErrorModel(corrupt);
        uint64_t udpBytes = 0;
        PacketCb count([&udpBytes](Ptr<const Packet> p) {
            // UDP payload: without the PPP header (if the trace includes it), the IPv4 and
            // the UDP header.
            uint8_t first = 0;
            p->CopyData(&first, 1);
            udpBytes += p->GetSize() - (first == 0x45 ? 0 : 2) - 20 - 8;
        });
        f.m_serverDevice->TraceConnectWithoutContext("MacRx", count);
        Simulator::Schedule(Seconds(0.5), [corrupt]() { corrupt->m_toCorrupt = 20; });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(corrupt->m_corrupted, 20, "20 datagrams corrupted");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(f.m_srv.drops[QuicDropReason::DECRYPTION_FAILED],
                                    20,
                                    "their packets were discarded");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetPathCount(), 1, "one path");
        NS_TEST_ASSERT_MSG_EQ(f.m_server->GetActivePath().GetBytesReceived(),
                              udpBytes,
                              "AMP-02: every received UDP payload byte counts");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 1000000, "data delivered anyway");
    }
};

/**
 * \ingroup quic-migration-tests
 * SEC-02: after the client migrated, the network stops delivering anything. The server's
 * validations of the new path and of the previous one both fail: with no validated
 * peer address left it closes silently, long before the idle timeout, without sending a
 * CONNECTION_CLOSE.
 */
class QuicSilentCloseTestCase : public TestCase
{
  public:
    QuicSilentCloseTestCase()
        : TestCase("SEC-02 no validated peer address left: silent close, no CONNECTION_CLOSE")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 3000000;
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        Ptr<RateErrorModel> blackout = CreateObject<RateErrorModel>();
        blackout->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        blackout->SetRate(1.0);
        blackout->Disable();
        DynamicCast<PointToPointNetDevice>(f.m_serverDevice)->SetReceiveErrorModel(blackout);
        DynamicCast<PointToPointNetDevice>(f.m_clientDevice)->SetReceiveErrorModel(blackout);
        Simulator::Schedule(Seconds(1), [&f, second, blackout]() {
            // Nothing is delivered any more once the server has moved to the new address.
            PathCb onPathEvent([blackout](Ptr<const QuicConnection>,
                                          const std::string& e,
                                          const std::string&,
                                          const std::string&) {
                if (e == "peer_address_changed")
                {
                    blackout->Enable();
                }
            });
            f.m_server->TraceConnectWithoutContext("PathEvent", onPathEvent);
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::SWITCH_IMMEDIATELY);
        });
        Simulator::Stop(Seconds(10));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_srv.firstEvent.count("peer_address_changed"), 1, "moved");
        NS_TEST_ASSERT_MSG_EQ(blackout->IsEnabled(), true, "blackout from then on");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(Events(f.m_srv, "validation_failed").size(),
                                    2,
                                    "both validations failed");
        NS_TEST_ASSERT_MSG_EQ(f.m_srv.closed, true, "SEC-02: the server dropped the connection");
        NS_TEST_ASSERT_MSG_LT(f.m_srv.closedAt, Seconds(10), "before the 30 s idle timeout");
        uint32_t closeFrames = 0;
        for (const auto& s : f.m_srv.sent)
        {
            closeFrames += Has(s.info, QuicFrameType::CONNECTION_CLOSE) ? 1 : 0;
            closeFrames += Has(s.info, QuicFrameType::CONNECTION_CLOSE_APP) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(closeFrames, 0, "SEC-02: no CONNECTION_CLOSE sent");
        bool noViablePath = std::find(f.m_srv.handshakeEvents.begin(),
                                      f.m_srv.handshakeEvents.end(),
                                      "no_viable_path") != f.m_srv.handshakeEvents.end();
        NS_TEST_ASSERT_MSG_EQ(noViablePath, true, "closed for lack of a validated path");
    }
};

/**
 * \ingroup quic-migration-tests
 * CC-10: the network delivers nothing for 2 s in the middle of a congestion-limited
 * transfer. At each PTO the client still sends ack-eliciting probes although the congestion
 * window is full, so its bytes in flight exceed the window; the transfer completes after.
 */
class QuicPtoProbeTestCase : public TestCase
{
  public:
    QuicPtoProbeTestCase()
        : TestCase("CC-10 PTO probes sent despite a full congestion window")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 3000000;
        Fixture f(o);
        Ptr<RateErrorModel> blackout = CreateObject<RateErrorModel>();
        blackout->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
        blackout->SetRate(1.0);
        blackout->Disable();
        DynamicCast<PointToPointNetDevice>(f.m_serverDevice)->SetReceiveErrorModel(blackout);
        DynamicCast<PointToPointNetDevice>(f.m_clientDevice)->SetReceiveErrorModel(blackout);
        Simulator::Schedule(Seconds(1), [blackout]() { blackout->Enable(); });
        Simulator::Schedule(Seconds(3), [blackout]() { blackout->Disable(); });
        uint64_t cwnd = 0;
        uint64_t bif = 0;
        uint64_t maxExcess = 0;
        uint64_t ptoAtStart = 0;
        uint32_t probesInBlackout = 0;
        Simulator::Schedule(Seconds(0.2), [&]() {
            f.m_client->TraceConnectWithoutContext(
                "CongestionWindow",
                U64Cb([&cwnd](uint64_t, uint64_t v) { cwnd = v; }));
            f.m_client->TraceConnectWithoutContext(
                "BytesInFlight",
                U64Cb([&](uint64_t, uint64_t v) {
                    bif = v;
                    Time now = Simulator::Now();
                    if (now > Seconds(1.1) && now < Seconds(3) && bif > cwnd)
                    {
                        maxExcess = std::max(maxExcess, bif - cwnd);
                    }
                }));
            cwnd = f.m_client->GetCongestionWindow();
        });
        Simulator::Schedule(Seconds(1), [&]() { ptoAtStart = f.m_client->GetStats().m_ptoCount; });
        Simulator::Stop(Seconds(12));
        Simulator::Run();
        for (const auto& s : f.m_cli.sent)
        {
            // Anything still sent after the last datagram could have left the queue (one
            // RTT after the blackout started) is a PTO probe.
            if (s.t > Seconds(1.1) && s.t < Seconds(3) && s.info.m_ackEliciting)
            {
                ++probesInBlackout;
            }
        }
        NS_TEST_ASSERT_MSG_GT(f.m_client->GetStats().m_ptoCount, ptoAtStart, "PTOs expired");
        NS_TEST_ASSERT_MSG_GT(probesInBlackout, 0, "CC-10: ack-eliciting probes sent at PTO");
        NS_TEST_ASSERT_MSG_GT(maxExcess, 0, "CC-10: probes not blocked by the window");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "transfer completes after");
    }
};

/**
 * \ingroup quic-migration-tests
 * CC-03: during a client migration (switch immediately) the server acknowledges packets
 * received on the old and the new path in the same ACK frames (one packet-number space).
 */
class QuicAckSpaceTestCase : public TestCase
{
  public:
    QuicAckSpaceTestCase()
        : TestCase("CC-03 one ACK covers packets received on both paths")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 2000000;
        o.qlogDir = QlogDir(CreateTempDirFilename("cc03"));
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        Simulator::Schedule(Seconds(1), [&f, second]() {
            f.m_client->Migrate(InetSocketAddress(second, 0), QuicConnection::SWITCH_IMMEDIATELY);
        });
        Simulator::Stop(Seconds(4));
        Simulator::Run();
        std::map<uint64_t, bool> fromNew; // 1-RTT packet number -> received on the new path
        for (const auto& r : f.m_srv.received)
        {
            if (r.info.m_type == QuicPacketType::ONE_RTT)
            {
                fromNew[r.info.m_packetNumber] = Ip(r.info.m_remote) == second;
            }
        }
        f.Finish();
        uint32_t mixed = 0;
        for (const QlogPacket& p : f.Qlog(false))
        {
            if (!p.sent)
            {
                continue;
            }
            bool oldPn = false;
            bool newPn = false;
            for (const auto& range : p.acked)
            {
                auto lo = fromNew.lower_bound(range.first);
                auto hi = fromNew.upper_bound(range.second);
                for (auto it = lo; it != hi; ++it)
                {
                    (it->second ? newPn : oldPn) = true;
                }
            }
            mixed += (oldPn && newPn) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_GT(mixed, 0, "CC-03: ACK frames cover packets of both paths");
    }
};

/**
 * \ingroup quic-migration-tests
 * PRIV-04: the server uses zero-length connection IDs; the client does not migrate to
 * another address (refused, nothing sent from it) and cannot rotate to another CID.
 */
class QuicZeroLengthCidNoMigrationTestCase : public TestCase
{
  public:
    QuicZeroLengthCidNoMigrationTestCase()
        : TestCase("PRIV-04 no voluntary migration toward a peer with zero-length CIDs")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 500000;
        o.serverCidLength = 0;
        Fixture f(o);
        Ipv4Address second = f.AddClientAddress("10.1.1.77");
        bool migrated = true;
        bool rotated = true;
        Simulator::Schedule(Seconds(1), [&]() {
            migrated = f.m_client->Migrate(InetSocketAddress(second, 0),
                                           QuicConnection::PROBE_THEN_SWITCH);
            rotated = f.m_client->RotateDestinationCid();
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetPeerCid().Length(), 0, "zero-length server CID");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->IsHandshakeConfirmed(), true, "connected");
        NS_TEST_ASSERT_MSG_EQ(migrated, false, "PRIV-04: migration refused");
        NS_TEST_ASSERT_MSG_EQ(rotated, false, "no other CID to rotate to");
        uint32_t fromSecond = 0;
        for (const auto& s : f.m_cli.sent)
        {
            fromSecond += Ip(s.info.m_local) == second ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(fromSecond, 0, "PRIV-04: nothing sent from the other address");
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 500000, "data delivered");
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-12: the client's port changes (a rebinding, §9.4 state reset policy) and changes back
 * one second later. The server validated the original address recently, so it does not
 * challenge it again, and the original path's saved RTT estimate is in use again at once
 * (the short-lived path started from kInitialRtt).
 */
class QuicReturnToValidatedPathTestCase : public TestCase
{
  public:
    QuicReturnToValidatedPathTestCase()
        : TestCase("MIG-12 return to a recently validated address: no new challenge, state back")
    {
    }

  private:
    void DoRun() override
    {
        RngSeedManager::SetRun(1);
        Config::SetDefault("ns3::QuicConnection::KeepStateOnPortChange", BooleanValue(false));
        Options o;
        o.bytes = 3000000;
        Fixture f(o);
        Address original;
        Time returned;
        std::vector<Time> srttAtSwitch;
        Simulator::Schedule(Seconds(0.5), [&]() {
            PathCb onSwitch([&srttAtSwitch, &f](Ptr<const QuicConnection>,
                                                const std::string& e,
                                                const std::string&,
                                                const std::string&) {
                if (e == "active_path_switched")
                {
                    srttAtSwitch.push_back(f.m_server->GetSmoothedRtt());
                }
            });
            f.m_server->TraceConnectWithoutContext("PathEvent", onSwitch);
        });
        Simulator::Schedule(Seconds(1), [&]() {
            original = f.m_client->GetActivePath().GetLocalAddress();
            f.m_client->RebindForTesting(InetSocketAddress(f.m_clientAddress, 0));
        });
        Simulator::Schedule(Seconds(2), [&]() {
            returned = Simulator::Now();
            f.m_client->RebindForTesting(original); // the original socket, same port
        });
        Simulator::Stop(Seconds(6));
        Simulator::Run();
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 3000000, "all data delivered");
        NS_TEST_ASSERT_MSG_EQ(f.m_client->GetActivePath().GetLocalAddress(), original, "back");
        NS_TEST_ASSERT_MSG_EQ(srttAtSwitch.size(), 2, "the server switched there and back");
        if (srttAtSwitch.size() == 2)
        {
            NS_TEST_ASSERT_MSG_EQ(srttAtSwitch[0], MilliSeconds(333), "new path: kInitialRtt");
            NS_TEST_ASSERT_MSG_LT(srttAtSwitch[1],
                                  MilliSeconds(200),
                                  "MIG-12: the original path's RTT estimate is used again");
        }
        // The original client address as the server sees it (the socket is bound to any).
        const Address originalPeer =
            InetSocketAddress(f.m_clientAddress,
                              InetSocketAddress::ConvertFrom(original).GetPort());
        uint32_t toOriginalAfterReturn = 0;
        uint32_t challengesAfterReturn = 0;
        for (const auto& s : f.m_srv.sent)
        {
            if (s.info.m_remote == originalPeer && s.t > returned)
            {
                ++toOriginalAfterReturn;
                challengesAfterReturn += Has(s.info, QuicFrameType::PATH_CHALLENGE) ? 1 : 0;
            }
        }
        NS_TEST_ASSERT_MSG_GT(toOriginalAfterReturn, 10, "the server sends there again");
        NS_TEST_ASSERT_MSG_EQ(challengesAfterReturn,
                              0,
                              "MIG-12: no new validation of the recently validated address");
    }
};

/**
 * \ingroup quic-migration-tests
 * PRIV-02: the client migrates (probe then switch, switch immediately, and to an unreachable
 * address followed by the fallback to the original one) while the server also challenges the
 * previous path. Every Destination Connection ID the client sends with leaves from one local
 * address only, the answers to challenges on an old path included.
 */
class QuicCidPerLocalAddressTestCase : public TestCase
{
  public:
    QuicCidPerLocalAddressTestCase()
        : TestCase("PRIV-02 one local address per connection ID across migrations and fallback")
    {
    }

  private:
    void DoRun() override
    {
        struct Scenario
        {
            const char* address;
            QuicConnection::MigrationPolicy policy;
        };

        for (const Scenario& sc : {Scenario{"10.1.1.77", QuicConnection::PROBE_THEN_SWITCH},
                                   Scenario{"10.1.1.77", QuicConnection::SWITCH_IMMEDIATELY},
                                   Scenario{"10.9.9.9", QuicConnection::SWITCH_IMMEDIATELY}})
        {
            RngSeedManager::SetRun(1);
            Options o;
            o.bytes = 2000000;
            Fixture f(o);
            Ipv4Address second = f.AddClientAddress(sc.address);
            bool started = false;
            Simulator::Schedule(Seconds(1), [&f, &started, second, sc]() {
                started = f.m_client->Migrate(InetSocketAddress(second, 0), sc.policy);
            });
            Simulator::Stop(Seconds(10));
            Simulator::Run();
            NS_TEST_ASSERT_MSG_EQ(started, true, "migration started");
            NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(),
                                  2000000,
                                  "all data delivered, " << sc.address << " " << sc.policy);
            std::map<QuicConnectionId, std::set<Address>> localsPerCid;
            std::set<Address> locals;
            for (const auto& s : f.m_cli.sent)
            {
                if (s.info.m_type == QuicPacketType::ONE_RTT)
                {
                    localsPerCid[s.info.m_dcid].insert(s.info.m_local);
                    locals.insert(s.info.m_local);
                }
            }
            NS_TEST_ASSERT_MSG_EQ(locals.size(), 2, "packets from both local addresses");
            for (const auto& l : localsPerCid)
            {
                NS_TEST_ASSERT_MSG_EQ(l.second.size(),
                                      1,
                                      "PRIV-02: CID " << l.first << " from one local address ("
                                                      << sc.address << ")");
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * MIG-05: the network delivers nothing for a while, so no path works. The model's policy is
 * to wait: a 4 s outage, shorter than the 30 s idle timeout, leaves the connection open and
 * the transfer completes afterwards; a 14 s outage with a 3 s idle timeout (extended to
 * 3 x PTO, RFC 9000 §10.1) discards the connection on both sides during the outage,
 * silently (no CONNECTION_CLOSE on the wire).
 */
class QuicNoPathPolicyTestCase : public TestCase
{
  public:
    QuicNoPathPolicyTestCase()
        : TestCase("MIG-05 no working path: wait within the idle timeout, then discard")
    {
    }

  private:
    void DoRun() override
    {
        for (bool shortIdle : {false, true})
        {
            RngSeedManager::SetRun(1);
            if (shortIdle)
            {
                Config::SetDefault("ns3::QuicConnection::MaxIdleTimeout", TimeValue(Seconds(3)));
            }
            Options o;
            o.bytes = 2000000;
            Fixture f(o);
            Ptr<RateErrorModel> blackout = CreateObject<RateErrorModel>();
            blackout->SetUnit(RateErrorModel::ERROR_UNIT_PACKET);
            blackout->SetRate(1.0);
            blackout->Disable();
            DynamicCast<PointToPointNetDevice>(f.m_serverDevice)->SetReceiveErrorModel(blackout);
            DynamicCast<PointToPointNetDevice>(f.m_clientDevice)->SetReceiveErrorModel(blackout);
            Simulator::Schedule(Seconds(1), [blackout]() { blackout->Enable(); });
            Time outageEnd = shortIdle ? Seconds(15) : Seconds(5);
            Simulator::Schedule(outageEnd, [blackout]() { blackout->Disable(); });
            Simulator::Stop(Seconds(20));
            Simulator::Run();
            uint32_t closeFrames = 0;
            for (const auto& s : f.m_cli.sent)
            {
                closeFrames += (s.info.m_frameTypes & QUIC_FRAME_MASK_CONNECTION_CLOSE) ? 1 : 0;
            }
            if (!shortIdle)
            {
                NS_TEST_ASSERT_MSG_EQ(f.m_cli.closed, false, "MIG-05: the client waited");
                NS_TEST_ASSERT_MSG_EQ(f.m_srv.closed, false, "MIG-05: the server waited");
                NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "transfer completed");
            }
            else
            {
                NS_TEST_ASSERT_MSG_EQ(f.m_cli.closed, true, "MIG-05: state discarded");
                NS_TEST_ASSERT_MSG_GT(f.m_cli.closedAt, Seconds(4), "after the idle timeout");
                NS_TEST_ASSERT_MSG_LT(f.m_cli.closedAt, outageEnd, "during the outage");
                NS_TEST_ASSERT_MSG_EQ(f.m_srv.closed, true, "MIG-05: server state discarded");
                NS_TEST_ASSERT_MSG_LT(f.m_srv.closedAt, outageEnd, "during the outage");
                NS_TEST_ASSERT_MSG_EQ(closeFrames, 0, "silently (RFC 9000 §10.1)");
                NS_TEST_ASSERT_MSG_LT(f.Sink()->GetTotalRx(), 2000000, "transfer cut short");
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * SR-14 (RFC 9000 §10.2, §10.3): once the transfer is over, one endpoint closes. A copy of
 * the client's last short-header datagram (same bytes, same 4-tuple: a late packet) reaches
 * the server a few milliseconds after it entered the draining state (client closed) or the
 * closing state (server closed): the connection still owns the CID and drops it, and the
 * server's endpoint sends no stateless reset. The state lasts at least 3 x PTO (more than
 * 3 x the smoothed RTT). After the state is gone, the same datagram is a stray packet for an
 * unknown CID and draws exactly one stateless reset toward the client's address (the
 * client's endpoint does not answer resets here, so that the server's are the only ones).
 */
class QuicNoResetWhileClosingTestCase : public TestCase
{
  public:
    QuicNoResetWhileClosingTestCase()
        : TestCase("SR-14 late packet within 3 PTO of close draws no stateless reset, later one")
    {
    }

  private:
    void DoRun() override
    {
        for (bool serverCloses : {false, true})
        {
            RunOnce(serverCloses);
        }
    }

    void RunOnce(bool serverCloses)
    {
        RngSeedManager::SetRun(1);
        Options o;
        o.bytes = 300000;
        Fixture f(o);
        // Only the server answers unknown CIDs (the client's endpoint would answer the
        // server's reset with a smaller one of its own, and so on: RFC 9000 §10.3.3).
        f.m_clientEp->SetAttribute("StatelessResetEnabled", BooleanValue(false));
        DatagramRecorder rec;
        f.m_clientDevice->TraceConnectWithoutContext(
            "MacTx",
            MakeCallback(&DatagramRecorder::OnMacTx, &rec));

        struct Reset
        {
            Time t;
            Address to;
            uint32_t trigger;
        };

        std::vector<Reset> resets;
        f.m_serverEp->TraceConnectWithoutContext(
            "StatelessResetSent",
            Callback<void, const Address&, uint32_t, uint32_t>(
                [&resets](const Address& to, uint32_t, uint32_t trigger) {
                    resets.push_back({Simulator::Now(), to, trigger});
                }));
        std::vector<Time> unknownCid;
        f.m_serverEp->TraceConnectWithoutContext(
            "Drop",
            Callback<void, QuicDropReason, uint32_t, const Address&>(
                [&unknownCid](QuicDropReason r, uint32_t, const Address&) {
                    if (r == QuicDropReason::UNKNOWN_CID)
                    {
                        unknownCid.push_back(Simulator::Now());
                    }
                }));
        std::vector<Time> closingDrops;
        Time stateStart;
        Time stateEnd;
        Time srtt;
        Ptr<Socket> clientSocket;
        Address clientAddress;
        Address serverAddress = InetSocketAddress(f.m_serverAddress, 4433);
        std::vector<Time> injected;
        auto inject = [&]() {
            injected.push_back(Simulator::Now());
            f.m_clientEp->SendDatagram(clientSocket,
                                       rec.last.data(),
                                       rec.last.size(),
                                       serverAddress);
        };
        Simulator::Schedule(Seconds(1), [&]() {
            rec.frozen = true;
            clientSocket = f.m_client->GetActivePath().GetSocket();
            clientAddress = f.m_client->GetActivePath().GetLocalAddress();
            f.m_server->TraceConnectWithoutContext(
                "PacketDropped",
                Callback<void, Ptr<const QuicConnection>, QuicDropReason, uint32_t>(
                    [&closingDrops](Ptr<const QuicConnection>, QuicDropReason r, uint32_t) {
                        if (r == QuicDropReason::CLOSING)
                        {
                            closingDrops.push_back(Simulator::Now());
                        }
                    }));
            f.m_server->TraceConnectWithoutContext(
                "HandshakeEvent",
                Callback<void, Ptr<const QuicConnection>, const std::string&>(
                    [&](Ptr<const QuicConnection> c, const std::string& e) {
                        if (e == "draining" || e == "closing")
                        {
                            stateStart = Simulator::Now();
                            srtt = c->GetSmoothedRtt();
                            // A late packet, arriving about 12 ms later.
                            Simulator::Schedule(MilliSeconds(1), inject);
                        }
                        else if (e == "closed")
                        {
                            stateEnd = Simulator::Now();
                            // The same packet once the state is gone.
                            Simulator::Schedule(MilliSeconds(1), inject);
                        }
                    }));
            (serverCloses ? f.m_server : f.m_client)->Close(0, "done");
        });
        Simulator::Stop(Seconds(3));
        Simulator::Run();
        std::string side = serverCloses ? " (server closed)" : " (client closed)";
        NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 300000, "transfer done before the close");
        NS_TEST_ASSERT_MSG_GT(rec.count, 0, "a short-header datagram of the client recorded");
        NS_TEST_ASSERT_MSG_EQ(injected.size(), 2, "injected during and after the state" << side);
        NS_TEST_ASSERT_MSG_GT(stateStart, Seconds(1) - NanoSeconds(1), "state entered" << side);
        NS_TEST_ASSERT_MSG_GT(stateEnd, stateStart, "state left" << side);
        NS_TEST_ASSERT_MSG_GT(srtt, MilliSeconds(20), "an RTT sample");
        NS_TEST_ASSERT_MSG_GT_OR_EQ(stateEnd - stateStart,
                                    3 * srtt,
                                    "SR-14: the state lasts at least 3 x PTO" << side);
        // The late packet reached the connection (which dropped it) while it still existed.
        uint32_t lateDropped = 0;
        for (Time t : closingDrops)
        {
            lateDropped += (injected.size() == 2 && t > injected[0] && t < stateEnd) ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(lateDropped, 1, "the late packet was dropped by the connection");
        // No reset for the late packet, which arrived well within 3 x PTO of the close.
        uint32_t resetsEarly = 0;
        uint32_t resetsAfter = 0;
        for (const Reset& r : resets)
        {
            resetsEarly += r.t < stateStart + 3 * srtt ? 1 : 0;
            resetsAfter += r.t > stateEnd ? 1 : 0;
        }
        NS_TEST_ASSERT_MSG_EQ(resetsEarly,
                              0,
                              "SR-14: no stateless reset within the closing/draining period"
                                  << side);
        NS_TEST_ASSERT_MSG_EQ(resetsAfter, 1, "the stray packet afterwards draws one" << side);
        NS_TEST_ASSERT_MSG_EQ(unknownCid.size(), 1, "after the state: an unknown CID" << side);
        if (resets.size() == 1)
        {
            NS_TEST_ASSERT_MSG_EQ(InetSocketAddress::ConvertFrom(resets[0].to).GetPort(),
                                  InetSocketAddress::ConvertFrom(clientAddress).GetPort(),
                                  "toward the packet's source port");
            NS_TEST_ASSERT_MSG_EQ(Ip(resets[0].to), f.m_clientAddress, "and address");
            NS_TEST_ASSERT_MSG_EQ(resets[0].trigger, rec.last.size(), "triggered by it");
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * CID-09 PRIV-03 (RFC 9000 §5.1.1, §9.5): the client migrates to another address (both
 * policies). Before it does, the server holds at least one connection ID of the client it
 * has never sent with (the client issued spares in time); afterwards, every packet the server
 * sends toward the client's new address carries a Destination Connection ID the client
 * issued and the server never sent with toward the old address.
 */
class QuicSpareCidForMigrationTestCase : public TestCase
{
  public:
    QuicSpareCidForMigrationTestCase()
        : TestCase("CID-09 PRIV-03 server holds a spare client CID and replies on the new path "
                   "with a fresh one")
    {
    }

  private:
    void DoRun() override
    {
        for (auto policy : {QuicConnection::PROBE_THEN_SWITCH, QuicConnection::SWITCH_IMMEDIATELY})
        {
            RngSeedManager::SetRun(1);
            Options o;
            o.bytes = 2000000;
            Fixture f(o);
            Ipv4Address second = f.AddClientAddress("10.1.1.77");
            std::set<QuicConnectionId> clientIssued;
            size_t spareBefore = 0;
            std::set<QuicConnectionId> usedBefore;
            bool started = false;
            using CidCb = Callback<void,
                                   Ptr<const QuicConnection>,
                                   const std::string&,
                                   uint64_t,
                                   const QuicConnectionId&>;
            CidCb onCid([&clientIssued](Ptr<const QuicConnection>,
                                        const std::string& e,
                                        uint64_t,
                                        const QuicConnectionId& cid) {
                if (e == "issued")
                {
                    clientIssued.insert(cid);
                }
            });
            f.m_clientEp->TraceConnectWithoutContext(
                "NewConnection",
                Callback<void, Ptr<QuicConnection>>([&clientIssued, onCid](Ptr<QuicConnection> c) {
                    clientIssued.insert(c->GetLocalCid());
                    c->TraceConnectWithoutContext("ConnectionIdEvent", onCid);
                }));
            Simulator::Schedule(Seconds(1), [&, second, policy]() {
                spareBefore = f.m_server->GetSpareDestinationCidCount();
                for (const auto& t : f.m_srv.sent)
                {
                    usedBefore.insert(t.info.m_dcid);
                }
                started = f.m_client->Migrate(InetSocketAddress(second, 0), policy);
            });
            Simulator::Stop(Seconds(6));
            Simulator::Run();
            std::string tag = policy == QuicConnection::PROBE_THEN_SWITCH ? " (probe-then-switch)"
                                                                          : " (switch-immediately)";
            NS_TEST_ASSERT_MSG_EQ(started, true, "migration started" << tag);
            NS_TEST_ASSERT_MSG_EQ(f.Sink()->GetTotalRx(), 2000000, "all data delivered" << tag);
            NS_TEST_ASSERT_MSG_GT_OR_EQ(spareBefore,
                                        1,
                                        "CID-09: the server held an unused client CID" << tag);
            // The client's CIDs the server sent with before the migration: sequence 0 only.
            NS_TEST_ASSERT_MSG_EQ(usedBefore.size(), 1, "one client CID in use on the old path");
            std::set<QuicConnectionId> toNew;
            std::set<QuicConnectionId> toOld;
            for (const auto& t : f.m_srv.sent)
            {
                if (t.t > Seconds(1) && t.info.m_type == QuicPacketType::ONE_RTT)
                {
                    (Ip(t.info.m_remote) == second ? toNew : toOld).insert(t.info.m_dcid);
                }
            }
            NS_TEST_ASSERT_MSG_GT(toNew.size(), 0, "the server sent toward the new address" << tag);
            for (const auto& cid : toNew)
            {
                NS_TEST_ASSERT_MSG_EQ(usedBefore.count(cid),
                                      0,
                                      "CID-09: DCID " << cid << " toward the new path never "
                                                      << "used before" << tag);
                NS_TEST_ASSERT_MSG_EQ(toOld.count(cid),
                                      0,
                                      "PRIV-03: DCID " << cid << " not also toward the old "
                                                       << "address" << tag);
                NS_TEST_ASSERT_MSG_EQ(clientIssued.count(cid), 1, "a CID the client issued" << tag);
            }
        }
    }
};

/**
 * \ingroup quic-migration-tests
 * Requirement rows of RFC 9000 §8-§9 not covered elsewhere (issue #5).
 */
class QuicRequirementsTestSuite : public TestSuite
{
  public:
    QuicRequirementsTestSuite()
        : TestSuite("quic-requirements", QUIC_SUITE_SYSTEM)
    {
        AddTestCase(new QuicChallengeDataTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicLostResponseTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNoResponseNoValidationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSmallChallengeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicResponsePathTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicResponseOnOtherPathTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicChallengeCadenceTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidLimitedProbingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicServerOnlyProbesTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicUndecryptableCountsTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSilentCloseTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicPtoProbeTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicAckSpaceTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicZeroLengthCidNoMigrationTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicReturnToValidatedPathTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicCidPerLocalAddressTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNoPathPolicyTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicNoResetWhileClosingTestCase, QUIC_TEST_QUICK);
        AddTestCase(new QuicSpareCidForMigrationTestCase, QUIC_TEST_QUICK);
    }
};

static QuicRequirementsTestSuite g_quicRequirementsTestSuite; //!< registers the suite
