/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-attacker.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/enum.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-raw-socket-factory.h"
#include "ns3/ipv4-route.h"
#include "ns3/ipv4.h"
#include "ns3/log.h"
#include "ns3/node.h"
#include "ns3/output-stream-wrapper.h"
#include "ns3/packet.h"
#include "ns3/random-variable-stream.h"
#include "ns3/simulator.h"
#include "ns3/socket.h"
#include "ns3/string.h"
#include "ns3/udp-header.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace
{

/// IP protocol number of UDP.
constexpr uint8_t UDP_PROTOCOL = 17;
/// Size of the UDP header (RFC 768).
constexpr uint32_t UDP_HEADER_SIZE = 8;
/// Size of a stateless reset token (RFC 9000 §10.3).
constexpr uint32_t RESET_TOKEN_SIZE = 16;
/// Smallest stateless reset (RFC 9000 §10.3: 5 unpredictable bytes + token).
constexpr uint32_t MIN_RESET_SIZE = 21;
/// Client ports the copy-race forwarder relays for at most (bounded state).
constexpr size_t MAX_RELAY_CLIENTS = 16;

/**
 * \brief Bytes of a hex string (whitespace ignored; a trailing odd digit is dropped).
 * \param hex the text
 * \return the bytes
 */
std::vector<uint8_t>
HexBytes(const std::string& hex)
{
    std::vector<uint8_t> out;
    int hi = -1;
    for (char c : hex)
    {
        int v = -1;
        if (c >= '0' && c <= '9')
        {
            v = c - '0';
        }
        else if (c >= 'a' && c <= 'f')
        {
            v = c - 'a' + 10;
        }
        else if (c >= 'A' && c <= 'F')
        {
            v = c - 'A' + 10;
        }
        if (v < 0)
        {
            continue;
        }
        if (hi < 0)
        {
            hi = v;
        }
        else
        {
            out.push_back(static_cast<uint8_t>(hi << 4 | v));
            hi = -1;
        }
    }
    return out;
}

} // namespace

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicAttacker");

NS_OBJECT_ENSURE_REGISTERED(QuicOffPathInjector);
NS_OBJECT_ENSURE_REGISTERED(QuicOnPathRewriter);
NS_OBJECT_ENSURE_REGISTERED(QuicCopyRaceForwarder);

// ---- QuicSpoofingSender -------------------------------------------------------------------

void
QuicSpoofingSender::Open(Ptr<Node> node)
{
    if (m_socket)
    {
        return;
    }
    m_node = node;
    m_socket = Socket::CreateSocket(node, Ipv4RawSocketFactory::GetTypeId());
    m_socket->SetAttribute("Protocol", UintegerValue(UDP_PROTOCOL));
    m_socket->SetAttribute("IpHeaderInclude", BooleanValue(true));
    // Send only: a raw socket would otherwise queue a copy of every UDP datagram the node
    // receives.
    m_socket->ShutdownRecv();
}

void
QuicSpoofingSender::Close()
{
    if (m_socket)
    {
        m_socket->Close();
        m_socket = nullptr;
    }
    m_node = nullptr;
}

bool
QuicSpoofingSender::IsOpen() const
{
    return m_socket != nullptr;
}

Ipv4Address
QuicSpoofingSender::SourceToward(Ipv4Address destination) const
{
    if (!m_node)
    {
        return Ipv4Address::GetAny();
    }
    Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
    if (!ipv4 || !ipv4->GetRoutingProtocol())
    {
        return Ipv4Address::GetAny();
    }
    Ipv4Header h;
    h.SetDestination(destination);
    h.SetProtocol(UDP_PROTOCOL);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route =
        ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), h, nullptr, err);
    return route ? route->GetSource() : Ipv4Address::GetAny();
}

Ptr<Packet>
QuicSpoofingSender::Send(Ipv4Address source,
                         uint16_t sourcePort,
                         Ipv4Address destination,
                         uint16_t destinationPort,
                         const uint8_t* payload,
                         uint32_t size)
{
    if (!m_socket)
    {
        return nullptr;
    }
    Ptr<Packet> p = Create<Packet>(payload, size);
    UdpHeader udp;
    udp.SetSourcePort(sourcePort);
    udp.SetDestinationPort(destinationPort);
    // The checksum covers the pseudo-header with the spoofed source (RFC 768).
    udp.InitializeChecksum(source, destination, UDP_PROTOCOL);
    udp.EnableChecksums();
    p->AddHeader(udp);
    Ipv4Header ip;
    ip.SetSource(source);
    ip.SetDestination(destination);
    ip.SetProtocol(UDP_PROTOCOL);
    ip.SetPayloadSize(p->GetSize());
    ip.SetTtl(64);
    ip.SetIdentification(m_ipId++);
    ip.SetDontFragment();
    ip.EnableChecksum();
    p->AddHeader(ip);
    Ptr<Packet> sent = p->Copy();
    // The raw socket looks up an output device from the source address unless it is bound
    // to one, and the spoofed source belongs to no interface of this node: bind the socket
    // to the device of the route toward the destination.
    Ptr<Ipv4> ipv4 = m_node->GetObject<Ipv4>();
    Ipv4Header query;
    query.SetDestination(destination);
    query.SetProtocol(UDP_PROTOCOL);
    Socket::SocketErrno err;
    Ptr<Ipv4Route> route =
        ipv4 && ipv4->GetRoutingProtocol()
            ? ipv4->GetRoutingProtocol()->RouteOutput(Create<Packet>(), query, nullptr, err)
            : nullptr;
    if (!route || !route->GetOutputDevice())
    {
        NS_LOG_INFO("no route to " << destination);
        return nullptr;
    }
    m_socket->BindToNetDevice(route->GetOutputDevice());
    if (m_socket->SendTo(p, 0, InetSocketAddress(destination, 0)) < 0)
    {
        NS_LOG_INFO("raw send to " << destination << " failed: " << m_socket->GetErrno());
        return nullptr;
    }
    return sent;
}

bool
QuicParseUdpDatagram(Ptr<const Packet> p, QuicCapturedDatagram& out)
{
    if (!p || p->GetSize() < 20 + UDP_HEADER_SIZE)
    {
        return false;
    }
    uint8_t first[2] = {0, 0};
    p->CopyData(first, 2);
    Ptr<Packet> q = p->Copy();
    if (first[0] == 0x00 && first[1] == 0x21)
    {
        // PointToPointNetDevice's MacTx sees the packet with its PPP header (RFC 1661
        // protocol 0x0021: IPv4); MacRx without.
        q->RemoveAtStart(2);
    }
    else if ((first[0] >> 4) != 4)
    {
        return false;
    }
    if (q->GetSize() < 20 + UDP_HEADER_SIZE)
    {
        return false;
    }
    Ipv4Header ip;
    q->RemoveHeader(ip);
    if (ip.GetProtocol() != UDP_PROTOCOL || ip.GetFragmentOffset() != 0 || !ip.IsLastFragment() ||
        ip.GetPayloadSize() < UDP_HEADER_SIZE || q->GetSize() < ip.GetPayloadSize())
    {
        return false;
    }
    UdpHeader udp;
    q->RemoveHeader(udp);
    const uint32_t length = ip.GetPayloadSize() - UDP_HEADER_SIZE;
    out.source = ip.GetSource();
    out.destination = ip.GetDestination();
    out.sourcePort = udp.GetSourcePort();
    out.destinationPort = udp.GetDestinationPort();
    out.payload.resize(length);
    if (length > 0)
    {
        q->CopyData(out.payload.data(), length);
    }
    return true;
}

// ---- QuicOffPathInjector ------------------------------------------------------------------

TypeId
QuicOffPathInjector::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicOffPathInjector")
            .SetParent<Application>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicOffPathInjector>()
            .AddAttribute("Target",
                          "Destination address of the injected datagrams.",
                          Ipv4AddressValue(Ipv4Address("10.1.1.2")),
                          MakeIpv4AddressAccessor(&QuicOffPathInjector::m_target),
                          MakeIpv4AddressChecker())
            .AddAttribute("TargetPort",
                          "Destination UDP port (4433: the scenarios' server).",
                          UintegerValue(4433),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_targetPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("SpoofedSource",
                          "Source address on the wire (RFC 9000 §9.3.1, §21.5); 0.0.0.0 = "
                          "the captured source (REPLAY) or the node's own address.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&QuicOffPathInjector::m_spoofedSource),
                          MakeIpv4AddressChecker())
            .AddAttribute("SpoofedPort",
                          "Source port on the wire; 0 = the captured port (REPLAY) or a "
                          "random one per datagram.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_spoofedPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Mode",
                          "What to inject: random bytes, a short-header packet, a forged "
                          "stateless reset (RFC 9000 §10.3) or a replay of captured datagrams.",
                          EnumValue(QuicOffPathInjector::RANDOM),
                          MakeEnumAccessor(&QuicOffPathInjector::m_mode),
                          MakeEnumChecker(QuicOffPathInjector::RANDOM,
                                          "Random",
                                          QuicOffPathInjector::SHORT_HEADER,
                                          "ShortHeader",
                                          QuicOffPathInjector::STATELESS_RESET,
                                          "StatelessReset",
                                          QuicOffPathInjector::REPLAY,
                                          "Replay"))
            .AddAttribute("Interval",
                          "Time between two datagrams (the rate is 1/Interval).",
                          TimeValue(MilliSeconds(10)),
                          MakeTimeAccessor(&QuicOffPathInjector::m_interval),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("Count",
                          "Datagrams to inject; 0 = until the application stops.",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_count),
                          MakeUintegerChecker<uint32_t>())
            .AddAttribute("PacketSize",
                          "UDP payload bytes of RANDOM, SHORT_HEADER and STATELESS_RESET "
                          "datagrams (a reset is at least 21 bytes, RFC 9000 §10.3).",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_packetSize),
                          MakeUintegerChecker<uint32_t>(1, 1472))
            .AddAttribute("GuessedCid",
                          "SHORT_HEADER: Destination Connection ID in hex (e.g. a CID seen on "
                          "the wire); empty = CidLength random bytes per datagram.",
                          StringValue(""),
                          MakeStringAccessor(&QuicOffPathInjector::m_guessedCid),
                          MakeStringChecker())
            .AddAttribute("CidLength",
                          "Length of a random Destination Connection ID (RFC 9000 §17.3).",
                          UintegerValue(8),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_cidLength),
                          MakeUintegerChecker<uint32_t>(0, 20))
            .AddAttribute("CapturePort",
                          "REPLAY: keep only captured datagrams from or to this port (0: any).",
                          UintegerValue(4433),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_capturePort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("ReplayBufferSize",
                          "REPLAY: captured datagrams kept (the oldest are kept, later ones "
                          "are ignored once full).",
                          UintegerValue(64),
                          MakeUintegerAccessor(&QuicOffPathInjector::m_replayBufferSize),
                          MakeUintegerChecker<uint32_t>(1, 100000))
            .AddTraceSource("Injected",
                            "A spoofed datagram left: (IPv4 packet as sent, mode).",
                            MakeTraceSourceAccessor(&QuicOffPathInjector::m_injectedTrace),
                            "ns3::QuicOffPathInjector::InjectedTracedCallback");
    return tid;
}

QuicOffPathInjector::QuicOffPathInjector()
    : m_targetPort(4433),
      m_spoofedPort(0),
      m_mode(RANDOM),
      m_count(100),
      m_packetSize(100),
      m_cidLength(8),
      m_capturePort(4433),
      m_replayBufferSize(64),
      m_rng(CreateObject<UniformRandomVariable>())
{
}

QuicOffPathInjector::~QuicOffPathInjector() = default;

void
QuicOffPathInjector::DoDispose()
{
    m_event.Cancel();
    m_sender.Close();
    m_captured.clear();
    m_rng = nullptr;
    Application::DoDispose();
}

int64_t
QuicOffPathInjector::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

bool
QuicOffPathInjector::Sniff(Ptr<NetDevice> device)
{
    bool tx =
        device->TraceConnectWithoutContext("MacTx",
                                           MakeCallback(&QuicOffPathInjector::OnCapture, this));
    bool rx =
        device->TraceConnectWithoutContext("MacRx",
                                           MakeCallback(&QuicOffPathInjector::OnCapture, this));
    return tx || rx;
}

void
QuicOffPathInjector::OnCapture(Ptr<const Packet> p)
{
    if (m_captured.size() >= m_replayBufferSize)
    {
        return;
    }
    QuicCapturedDatagram d;
    if (!QuicParseUdpDatagram(p, d))
    {
        return;
    }
    if (m_capturePort != 0 && d.sourcePort != m_capturePort && d.destinationPort != m_capturePort)
    {
        return;
    }
    m_captured.push_back(std::move(d));
}

uint64_t
QuicOffPathInjector::GetInjectedCount() const
{
    return m_sent;
}

size_t
QuicOffPathInjector::GetCapturedCount() const
{
    return m_captured.size();
}

void
QuicOffPathInjector::StartApplication()
{
    m_sender.Open(GetNode());
    m_event = Simulator::ScheduleNow(&QuicOffPathInjector::InjectOne, this);
}

void
QuicOffPathInjector::StopApplication()
{
    m_event.Cancel();
}

void
QuicOffPathInjector::InjectOne()
{
    if (m_count != 0 && m_sent >= m_count)
    {
        return;
    }
    m_event = Simulator::Schedule(m_interval, &QuicOffPathInjector::InjectOne, this);
    std::vector<uint8_t> payload;
    Ipv4Address source = m_spoofedSource;
    uint16_t sourcePort = m_spoofedPort;
    Ipv4Address destination = m_target;
    uint16_t destinationPort = m_targetPort;
    auto randomByte = [this]() { return static_cast<uint8_t>(m_rng->GetInteger(0, 255)); };
    switch (m_mode)
    {
    case RANDOM:
        payload.resize(m_packetSize);
        for (auto& b : payload)
        {
            b = randomByte();
        }
        break;
    case SHORT_HEADER: {
        // RFC 9000 §17.3.1: header form 0, fixed bit 1, then the DCID; the rest stands for
        // the protected packet number and payload.
        payload.push_back(static_cast<uint8_t>(0x40 | (randomByte() & 0x3f)));
        std::vector<uint8_t> cid = HexBytes(m_guessedCid);
        if (m_guessedCid.empty())
        {
            cid.resize(m_cidLength);
            for (auto& b : cid)
            {
                b = randomByte();
            }
        }
        payload.insert(payload.end(), cid.begin(), cid.end());
        while (payload.size() < m_packetSize)
        {
            payload.push_back(randomByte());
        }
        break;
    }
    case STATELESS_RESET: {
        // RFC 9000 §10.3: looks like a short-header packet, ends with a 16-byte token; the
        // attacker cannot know the real token, so it makes one up.
        uint32_t size = std::max(m_packetSize, MIN_RESET_SIZE);
        payload.resize(size);
        for (auto& b : payload)
        {
            b = randomByte();
        }
        payload[0] = static_cast<uint8_t>(0x40 | (payload[0] & 0x3f));
        NS_ASSERT(size >= RESET_TOKEN_SIZE);
        break;
    }
    case REPLAY: {
        if (m_captured.empty())
        {
            return; // nothing captured yet: nothing sent, nothing counted
        }
        const QuicCapturedDatagram& d = m_captured[m_replayNext++ % m_captured.size()];
        payload = d.payload;
        if (source.IsAny())
        {
            source = d.source;
        }
        if (sourcePort == 0)
        {
            sourcePort = d.sourcePort;
        }
        destination = d.destination;
        destinationPort = d.destinationPort;
        break;
    }
    }
    if (source.IsAny())
    {
        source = m_sender.SourceToward(destination);
    }
    if (sourcePort == 0)
    {
        sourcePort = static_cast<uint16_t>(m_rng->GetInteger(49152, 65535));
    }
    Ptr<Packet> sent = m_sender.Send(source,
                                     sourcePort,
                                     destination,
                                     destinationPort,
                                     payload.data(),
                                     static_cast<uint32_t>(payload.size()));
    if (sent)
    {
        ++m_sent;
        m_injectedTrace(sent, m_mode);
    }
}

// ---- QuicOnPathRewriter -------------------------------------------------------------------

TypeId
QuicOnPathRewriter::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicOnPathRewriter")
            .SetParent<QuicRoutingWrapper>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicOnPathRewriter>()
            .AddAttribute("NewSource",
                          "Source address written into matching datagrams (RFC 9000 §9.3.1: "
                          "a victim's address); 0.0.0.0 = unchanged.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&QuicOnPathRewriter::m_newSource),
                          MakeIpv4AddressChecker())
            .AddAttribute("NewSourcePort",
                          "Source port written into matching datagrams; 0 = unchanged.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicOnPathRewriter::m_newSourcePort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("MatchSource",
                          "Rewrite only datagrams from this address; 0.0.0.0 = any.",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&QuicOnPathRewriter::m_matchSource),
                          MakeIpv4AddressChecker())
            .AddAttribute("MatchDestinationPort",
                          "Rewrite only datagrams to this UDP port; 0 = any.",
                          UintegerValue(4433),
                          MakeUintegerAccessor(&QuicOnPathRewriter::m_matchDestinationPort),
                          MakeUintegerChecker<uint16_t>())
            .AddAttribute("Start",
                          "Simulation time from which datagrams are rewritten.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&QuicOnPathRewriter::m_start),
                          MakeTimeChecker())
            .AddAttribute("Stop",
                          "Simulation time from which nothing is rewritten; 0 = never.",
                          TimeValue(Seconds(0)),
                          MakeTimeAccessor(&QuicOnPathRewriter::m_stop),
                          MakeTimeChecker())
            .AddAttribute("MaxPackets",
                          "Datagrams rewritten at most; 0 = unbounded.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicOnPathRewriter::m_maxPackets),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Probability",
                          "Probability that a matching datagram is rewritten.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&QuicOnPathRewriter::m_probability),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddTraceSource("Rewritten",
                            "A datagram was rewritten: (old source, new source, IPv4 payload "
                            "as forwarded).",
                            MakeTraceSourceAccessor(&QuicOnPathRewriter::m_rewrittenTrace),
                            "ns3::QuicOnPathRewriter::RewrittenTracedCallback");
    return tid;
}

QuicOnPathRewriter::QuicOnPathRewriter()
    : m_newSourcePort(0),
      m_matchDestinationPort(4433),
      m_maxPackets(0),
      m_probability(1.0),
      m_rng(CreateObject<UniformRandomVariable>())
{
}

QuicOnPathRewriter::~QuicOnPathRewriter() = default;

void
QuicOnPathRewriter::DoDispose()
{
    m_rng = nullptr;
    QuicRoutingWrapper::DoDispose();
}

void
QuicOnPathRewriter::PrintState(std::ostream& os) const
{
    os << "QuicOnPathRewriter (" << m_rewritten << " rewritten) wrapping:";
}

bool
QuicOnPathRewriter::Attach(Ptr<Node> router)
{
    Ptr<Ipv4> ipv4 = router ? router->GetObject<Ipv4>() : nullptr;
    if (m_wrapped || !ipv4 || !ipv4->GetRoutingProtocol())
    {
        return false;
    }
    Wrap(ipv4);
    return true;
}

uint64_t
QuicOnPathRewriter::GetRewrittenCount() const
{
    return m_rewritten;
}

int64_t
QuicOnPathRewriter::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

bool
QuicOnPathRewriter::RouteInput(Ptr<const Packet> p,
                               const Ipv4Header& header,
                               Ptr<const NetDevice> idev,
                               UnicastForwardCallback ucb,
                               MulticastForwardCallback mcb,
                               LocalDeliverCallback lcb,
                               ErrorCallback ecb)
{
    NS_ASSERT_MSG(m_wrapped, "QuicOnPathRewriter: use Attach() to install it on a router");
    // The rewrite happens once the wrapped protocol decided to forward (never for local
    // delivery).
    UnicastForwardCallback rewrite = MakeCallback(&QuicOnPathRewriter::Forward, this, ucb);
    return m_wrapped->RouteInput(p, header, idev, rewrite, mcb, lcb, ecb);
}

void
QuicOnPathRewriter::Forward(UnicastForwardCallback ucb,
                            Ptr<Ipv4Route> route,
                            Ptr<const Packet> p,
                            const Ipv4Header& header)
{
    Time now = Simulator::Now();
    bool match = header.GetProtocol() == UDP_PROTOCOL && header.GetFragmentOffset() == 0 &&
                 header.IsLastFragment() && p->GetSize() >= UDP_HEADER_SIZE && now >= m_start &&
                 (m_stop.IsZero() || now < m_stop) &&
                 (m_maxPackets == 0 || m_rewritten < m_maxPackets) &&
                 (m_matchSource.IsAny() || header.GetSource() == m_matchSource);
    uint8_t b[UDP_HEADER_SIZE] = {};
    if (match)
    {
        p->CopyData(b, UDP_HEADER_SIZE);
        const auto dport = static_cast<uint16_t>((b[2] << 8) | b[3]);
        match = m_matchDestinationPort == 0 || dport == m_matchDestinationPort;
    }
    if (match && m_probability < 1.0)
    {
        match = m_rng->GetValue() < m_probability;
    }
    if (!match)
    {
        ucb(route, p, header);
        return;
    }
    const auto sport = static_cast<uint16_t>((b[0] << 8) | b[1]);
    const auto dport = static_cast<uint16_t>((b[2] << 8) | b[3]);
    const bool hadChecksum = b[6] != 0 || b[7] != 0;
    const Ipv4Address newSource = m_newSource.IsAny() ? header.GetSource() : m_newSource;
    const uint16_t newPort = m_newSourcePort == 0 ? sport : m_newSourcePort;

    Ptr<Packet> q = p->Copy();
    UdpHeader old;
    q->RemoveHeader(old);
    UdpHeader udp;
    udp.SetSourcePort(newPort);
    udp.SetDestinationPort(dport);
    if (hadChecksum)
    {
        // Recomputed over the new pseudo-header (RFC 768); a zero checksum stays zero.
        udp.InitializeChecksum(newSource, header.GetDestination(), UDP_PROTOCOL);
        udp.EnableChecksums();
    }
    q->AddHeader(udp);
    Ipv4Header h = header;
    h.SetSource(newSource);
    ++m_rewritten;
    m_rewrittenTrace(InetSocketAddress(header.GetSource(), sport),
                     InetSocketAddress(newSource, newPort),
                     q);
    ucb(route, q, h);
}

// ---- QuicCopyRaceForwarder ----------------------------------------------------------------

TypeId
QuicCopyRaceForwarder::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicCopyRaceForwarder")
            .SetParent<Application>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicCopyRaceForwarder>()
            .AddAttribute("ServerPort",
                          "Copy datagrams sent to this UDP port.",
                          UintegerValue(4433),
                          MakeUintegerAccessor(&QuicCopyRaceForwarder::m_serverPort),
                          MakeUintegerChecker<uint16_t>(1))
            .AddAttribute("SpoofedSource",
                          "Source address of the copies; 0.0.0.0 = the attacker's own address "
                          "toward the server (RFC 9000 §9.3.3).",
                          Ipv4AddressValue(Ipv4Address::GetAny()),
                          MakeIpv4AddressAccessor(&QuicCopyRaceForwarder::m_spoofedSource),
                          MakeIpv4AddressChecker())
            .AddAttribute("Relay",
                          "Forward what the server sends to the copies' source back to the "
                          "client (a forwarding, limited on-path attacker, RFC 9000 §21.1.3).",
                          BooleanValue(false),
                          MakeBooleanAccessor(&QuicCopyRaceForwarder::m_relay),
                          MakeBooleanChecker())
            .AddAttribute("MaxCopies",
                          "Copies sent at most; 0 = unbounded.",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicCopyRaceForwarder::m_maxCopies),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("Probability",
                          "Probability that a matching datagram is copied.",
                          DoubleValue(1.0),
                          MakeDoubleAccessor(&QuicCopyRaceForwarder::m_probability),
                          MakeDoubleChecker<double>(0.0, 1.0))
            .AddTraceSource("Copied",
                            "A copy left toward the server: (IPv4 packet as sent).",
                            MakeTraceSourceAccessor(&QuicCopyRaceForwarder::m_copiedTrace),
                            "ns3::QuicCopyRaceForwarder::ForwardedTracedCallback")
            .AddTraceSource("Relayed",
                            "A server datagram was relayed to the client: (IPv4 packet).",
                            MakeTraceSourceAccessor(&QuicCopyRaceForwarder::m_relayedTrace),
                            "ns3::QuicCopyRaceForwarder::ForwardedTracedCallback");
    return tid;
}

QuicCopyRaceForwarder::QuicCopyRaceForwarder()
    : m_serverPort(4433),
      m_relay(false),
      m_maxCopies(0),
      m_probability(1.0),
      m_rng(CreateObject<UniformRandomVariable>())
{
}

QuicCopyRaceForwarder::~QuicCopyRaceForwarder() = default;

void
QuicCopyRaceForwarder::DoDispose()
{
    m_sender.Close();
    if (m_relaySocket)
    {
        m_relaySocket->Close();
        m_relaySocket = nullptr;
    }
    m_rng = nullptr;
    Application::DoDispose();
}

int64_t
QuicCopyRaceForwarder::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    return 1;
}

bool
QuicCopyRaceForwarder::Sniff(Ptr<NetDevice> device)
{
    bool tx =
        device->TraceConnectWithoutContext("MacTx",
                                           MakeCallback(&QuicCopyRaceForwarder::OnSniffed, this));
    bool rx =
        device->TraceConnectWithoutContext("MacRx",
                                           MakeCallback(&QuicCopyRaceForwarder::OnSniffed, this));
    return tx || rx;
}

uint64_t
QuicCopyRaceForwarder::GetCopiedCount() const
{
    return m_copied;
}

uint64_t
QuicCopyRaceForwarder::GetRelayedCount() const
{
    return m_relayed;
}

Ipv4Address
QuicCopyRaceForwarder::GetCopySource() const
{
    return m_copySource;
}

void
QuicCopyRaceForwarder::StartApplication()
{
    m_sender.Open(GetNode());
    m_running = true;
    if (m_relay && !m_relaySocket)
    {
        // Raw UDP socket: sees every UDP datagram delivered to this node, whatever the port.
        m_relaySocket = Socket::CreateSocket(GetNode(), Ipv4RawSocketFactory::GetTypeId());
        m_relaySocket->SetAttribute("Protocol", UintegerValue(UDP_PROTOCOL));
        m_relaySocket->SetRecvCallback(MakeCallback(&QuicCopyRaceForwarder::OnRelayReceive, this));
    }
}

void
QuicCopyRaceForwarder::StopApplication()
{
    m_running = false;
    if (m_relaySocket)
    {
        m_relaySocket->Close();
        m_relaySocket = nullptr;
    }
}

void
QuicCopyRaceForwarder::OnSniffed(Ptr<const Packet> p)
{
    if (!m_running || (m_maxCopies != 0 && m_copied >= m_maxCopies))
    {
        return;
    }
    QuicCapturedDatagram d;
    if (!QuicParseUdpDatagram(p, d) || d.destinationPort != m_serverPort)
    {
        return;
    }
    if (m_probability < 1.0 && m_rng->GetValue() >= m_probability)
    {
        return;
    }
    Ipv4Address source = m_spoofedSource;
    if (source.IsAny())
    {
        source = m_sender.SourceToward(d.destination);
    }
    m_copySource = source;
    Ptr<Packet> sent = m_sender.Send(source,
                                     d.sourcePort,
                                     d.destination,
                                     d.destinationPort,
                                     d.payload.data(),
                                     static_cast<uint32_t>(d.payload.size()));
    if (!sent)
    {
        return;
    }
    ++m_copied;
    auto it = std::find_if(m_clients.begin(), m_clients.end(), [&](const Client& c) {
        return c.port == d.sourcePort;
    });
    if (it != m_clients.end())
    {
        it->client = d.source;
        it->server = d.destination;
    }
    else if (m_clients.size() < MAX_RELAY_CLIENTS)
    {
        m_clients.push_back(Client{d.sourcePort, d.source, d.destination});
    }
    m_copiedTrace(sent);
}

void
QuicCopyRaceForwarder::OnRelayReceive(Ptr<Socket> socket)
{
    Ptr<Packet> p;
    while ((p = socket->Recv()))
    {
        if (!m_running)
        {
            continue;
        }
        QuicCapturedDatagram d;
        if (!QuicParseUdpDatagram(p, d) || d.sourcePort != m_serverPort ||
            d.destination != m_copySource)
        {
            continue;
        }
        auto it = std::find_if(m_clients.begin(), m_clients.end(), [&](const Client& c) {
            return c.port == d.destinationPort;
        });
        if (it == m_clients.end())
        {
            continue;
        }
        Ptr<Packet> sent = m_sender.Send(it->server,
                                         d.sourcePort,
                                         it->client,
                                         d.destinationPort,
                                         d.payload.data(),
                                         static_cast<uint32_t>(d.payload.size()));
        if (sent)
        {
            ++m_relayed;
            m_relayedTrace(sent);
        }
    }
}

} // namespace ns3
