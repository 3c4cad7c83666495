/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-endpoint.h"

#include "quic-packet-header.h"

#include "ns3/boolean.h"
#include "ns3/double.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/packet.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/udp-socket-factory.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEndpoint");

NS_OBJECT_ENSURE_REGISTERED(QuicEndpoint);

namespace
{
/// Smallest datagram that may carry a client's first Initial (RFC 9000 §14.1).
constexpr size_t MIN_INITIAL_DATAGRAM = 1200;
/// Random variable streams reserved per connection by AssignStreams().
constexpr int64_t STREAMS_PER_CONNECTION = 1;
} // namespace

TypeId
QuicEndpoint::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicEndpoint")
            .SetParent<Object>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicEndpoint>()
            .AddAttribute("ConnectionIdLength",
                          "Length of the connection IDs this endpoint issues, 0-20 bytes "
                          "(RFC 9000 §5.1); short headers carry no length, so it is fixed "
                          "per endpoint. 0 = zero-length connection IDs: packets are routed "
                          "by address, each client connection needs its own local port "
                          "(§5.1, CID-02), no stateless resets (§10.3.2) and the endpoint "
                          "asks its peers not to migrate (disable_active_migration)",
                          UintegerValue(8),
                          MakeUintegerAccessor(&QuicEndpoint::m_cidLength),
                          MakeUintegerChecker<uint32_t>(0, 20))
            .AddAttribute("MaxConnections",
                          "Connections a listening endpoint accepts at most at the same time; "
                          "further Initials are dropped",
                          UintegerValue(100000),
                          MakeUintegerAccessor(&QuicEndpoint::m_maxConnections),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("KeyLogFile",
                          "If set, the NSS key log (SSLKEYLOGFILE format) of every connection "
                          "is written to this file, for Wireshark/tshark decryption",
                          StringValue(""),
                          MakeStringAccessor(&QuicEndpoint::m_keyLogPath),
                          MakeStringChecker())
            .AddAttribute("StatelessResetEnabled",
                          "Answer short-header packets with an unknown connection ID with a "
                          "stateless reset (RFC 9000 §10.3)",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicEndpoint::m_statelessResetEnabled),
                          MakeBooleanChecker())
            .AddAttribute("StatelessResetRate",
                          "Largest average number of stateless resets sent per second "
                          "(RFC 9000 §10.3.3 asks endpoints to limit them)",
                          DoubleValue(100.0),
                          MakeDoubleAccessor(&QuicEndpoint::m_statelessResetRate),
                          MakeDoubleChecker<double>(0.001))
            .AddAttribute("StatelessResetBurst",
                          "Stateless resets that may be sent back to back",
                          UintegerValue(10),
                          MakeUintegerAccessor(&QuicEndpoint::m_statelessResetBurst),
                          MakeUintegerChecker<uint32_t>(1))
            .AddTraceSource("StatelessResetSent",
                            "A stateless reset was sent (RFC 9000 §10.3)",
                            MakeTraceSourceAccessor(&QuicEndpoint::m_resetTrace),
                            "ns3::QuicEndpoint::StatelessResetTracedCallback")
            .AddTraceSource("Drop",
                            "A datagram matched no connection and was dropped",
                            MakeTraceSourceAccessor(&QuicEndpoint::m_dropTrace),
                            "ns3::QuicEndpoint::DropTracedCallback")
            .AddTraceSource("NewConnection",
                            "A connection was accepted or opened",
                            MakeTraceSourceAccessor(&QuicEndpoint::m_newConnectionTrace),
                            "ns3::QuicEndpoint::NewConnectionTracedCallback");
    return tid;
}

QuicEndpoint::QuicEndpoint()
    : m_cidLength(8),
      m_maxConnections(100000),
      m_streamBase(-1),
      m_certificateSeed{},
      m_certificateSeedSet(false),
      m_statelessResetEnabled(true),
      m_statelessResetRate(100.0),
      m_statelessResetBurst(10)
{
    NS_LOG_FUNCTION(this);
    m_rng = CreateObject<UniformRandomVariable>();
    m_rxBuffer.resize(65536);
}

QuicEndpoint::~QuicEndpoint()
{
    NS_LOG_FUNCTION(this);
}

void
QuicEndpoint::DoDispose()
{
    NS_LOG_FUNCTION(this);
    for (auto& c : m_connections)
    {
        c->Dispose();
    }
    m_connections.clear();
    m_lastCidConnection = nullptr;
    m_byCid.clear();
    m_byTuple.clear();
    m_byResetToken.clear();
    m_resetTokensOf.clear();
    for (auto& s : m_sockets)
    {
        s.second->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        s.second->Close();
    }
    m_sockets.clear();
    m_socketAddresses.clear();
    m_newConnection = Callback<void, Ptr<QuicConnection>>();
    if (m_keyLog.is_open())
    {
        m_keyLog.close();
    }
    m_node = nullptr;
    m_rng = nullptr;
    Object::DoDispose();
}

Ptr<QuicEndpoint>
QuicEndpoint::Install(Ptr<Node> node)
{
    Ptr<QuicEndpoint> ep = node->GetObject<QuicEndpoint>();
    if (!ep)
    {
        ep = CreateObject<QuicEndpoint>();
        ep->m_node = node;
        node->AggregateObject(ep);
    }
    return ep;
}

Ptr<Node>
QuicEndpoint::GetNode() const
{
    return m_node;
}

Ptr<Socket>
QuicEndpoint::GetOrCreateSocket(const Address& local)
{
    auto it = m_sockets.find(local);
    if (it != m_sockets.end())
    {
        return it->second;
    }
    Ptr<Socket> socket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
    if (socket->Bind(local) != 0)
    {
        NS_LOG_WARN("cannot bind " << QuicPath::AddressToString(local));
        socket->Close();
        return nullptr;
    }
    Address bound;
    socket->GetSockName(bound);
    socket->SetRecvCallback(MakeCallback(&QuicEndpoint::HandleRead, this));
    m_sockets[bound] = socket;
    if (!(bound == local))
    {
        m_sockets[local] = socket;
    }
    m_socketAddresses[socket] = bound;
    return socket;
}

bool
QuicEndpoint::Listen(const Address& local)
{
    NS_LOG_FUNCTION(this);
    if (!m_node)
    {
        return false;
    }
    Ptr<Socket> s = GetOrCreateSocket(local);
    if (!s)
    {
        return false;
    }
    m_listening.push_back(m_socketAddresses[s]);
    return true;
}

bool
QuicEndpoint::SetPreferredAddress(const Address& ipv4, const Address& ipv6)
{
    NS_LOG_FUNCTION(this);
    if (!m_node)
    {
        return false;
    }
    if (!ipv4.IsInvalid())
    {
        if (!InetSocketAddress::IsMatchingType(ipv4))
        {
            return false;
        }
        InetSocketAddress a = InetSocketAddress::ConvertFrom(ipv4);
        if (a.GetIpv4() == Ipv4Address::GetAny() || a.GetPort() == 0)
        {
            return false;
        }
    }
    if (!ipv6.IsInvalid())
    {
        if (!Inet6SocketAddress::IsMatchingType(ipv6))
        {
            return false;
        }
        Inet6SocketAddress a = Inet6SocketAddress::ConvertFrom(ipv6);
        if (a.GetIpv6() == Ipv6Address::GetAny() || a.GetPort() == 0)
        {
            return false;
        }
    }
    for (const Address* a : {&ipv4, &ipv6})
    {
        if (!a->IsInvalid() && !GetOrCreateSocket(*a))
        {
            return false;
        }
    }
    m_preferredIpv4 = ipv4;
    m_preferredIpv6 = ipv6;
    return true;
}

const Address&
QuicEndpoint::GetPreferredAddressIpv4() const
{
    return m_preferredIpv4;
}

const Address&
QuicEndpoint::GetPreferredAddressIpv6() const
{
    return m_preferredIpv6;
}

void
QuicEndpoint::SetNewConnectionCallback(Callback<void, Ptr<QuicConnection>> cb)
{
    m_newConnection = cb;
}

Ptr<QuicConnection>
QuicEndpoint::Connect(const Address& remote, const Address& local, const std::string& serverName)
{
    NS_LOG_FUNCTION(this);
    if (!m_node)
    {
        return nullptr;
    }
    Address bindTo = local;
    if (bindTo.IsInvalid())
    {
        if (Inet6SocketAddress::IsMatchingType(remote))
        {
            bindTo = Inet6SocketAddress(Ipv6Address::GetAny(), 0);
        }
        else
        {
            bindTo = InetSocketAddress(Ipv4Address::GetAny(), 0);
        }
    }
    Address key = bindTo;
    bool ephemeral = (InetSocketAddress::IsMatchingType(bindTo) &&
                      InetSocketAddress::ConvertFrom(bindTo).GetPort() == 0) ||
                     (Inet6SocketAddress::IsMatchingType(bindTo) &&
                      Inet6SocketAddress::ConvertFrom(bindTo).GetPort() == 0);
    Ptr<Socket> socket;
    if (ephemeral)
    {
        // Each client connection gets its own ephemeral port, like a real client socket.
        socket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
        if (socket->Bind(bindTo) != 0)
        {
            socket->Close();
            return nullptr;
        }
        Address bound;
        socket->GetSockName(bound);
        socket->SetRecvCallback(MakeCallback(&QuicEndpoint::HandleRead, this));
        m_sockets[bound] = socket;
        m_socketAddresses[socket] = bound;
        key = bound;
    }
    else
    {
        socket = GetOrCreateSocket(bindTo);
        if (!socket)
        {
            return nullptr;
        }
        key = m_socketAddresses[socket];
        if (m_cidLength == 0)
        {
            // RFC 9000 §5.1 (CID-02): connections with zero-length connection IDs do not share
            // a local address and port.
            for (const auto& t : m_byTuple)
            {
                if (t.first.first == key)
                {
                    NS_LOG_WARN("zero-length connection IDs: local address already in use");
                    return nullptr;
                }
            }
        }
    }
    Ptr<QuicConnection> c = CreateObject<QuicConnection>();
    if (m_streamBase >= 0)
    {
        c->AssignStreams(NextConnectionStreamBase());
    }
    m_connections.push_back(c);
    // StartClient() calls NotifyNewConnection() once the connection is set up, before its
    // first Initial leaves, so that trace subscribers see every packet.
    c->StartClient(this, socket, key, remote, serverName);
    return c;
}

Ptr<Socket>
QuicEndpoint::OpenSocket(const Address& local, Address& bound)
{
    bool ephemeral = (InetSocketAddress::IsMatchingType(local) &&
                      InetSocketAddress::ConvertFrom(local).GetPort() == 0) ||
                     (Inet6SocketAddress::IsMatchingType(local) &&
                      Inet6SocketAddress::ConvertFrom(local).GetPort() == 0);
    if (!ephemeral)
    {
        Ptr<Socket> s = GetOrCreateSocket(local);
        if (s)
        {
            bound = m_socketAddresses[s];
        }
        return s;
    }
    Ptr<Socket> socket = Socket::CreateSocket(m_node, UdpSocketFactory::GetTypeId());
    if (socket->Bind(local) != 0)
    {
        socket->Close();
        return nullptr;
    }
    socket->GetSockName(bound);
    socket->SetRecvCallback(MakeCallback(&QuicEndpoint::HandleRead, this));
    m_sockets[bound] = socket;
    m_socketAddresses[socket] = bound;
    return socket;
}

size_t
QuicEndpoint::GetConnectionCount() const
{
    return m_connections.size();
}

std::vector<Ptr<QuicConnection>>
QuicEndpoint::GetConnections() const
{
    return m_connections;
}

int64_t
QuicEndpoint::AssignStreams(int64_t stream)
{
    m_rng->SetStream(stream);
    m_streamBase = stream + 1;
    // A block large enough for the connections of one run.
    return 1 + 1000000;
}

int64_t
QuicEndpoint::NextConnectionStreamBase()
{
    if (m_streamBase < 0)
    {
        return -1;
    }
    int64_t s = m_streamBase;
    m_streamBase += STREAMS_PER_CONNECTION;
    return s;
}

bool
QuicEndpoint::SendDatagram(Ptr<Socket> socket, const uint8_t* data, size_t size, const Address& to)
{
    if (!socket)
    {
        return false;
    }
    Ptr<Packet> p = Create<Packet>(data, static_cast<uint32_t>(size));
    return socket->SendTo(p, 0, to) >= 0;
}

bool
QuicEndpoint::RegisterCid(const QuicConnectionId& cid, Ptr<QuicConnection> connection)
{
    auto it = m_byCid.find(cid);
    if (it != m_byCid.end() && it->second != connection)
    {
        return false;
    }
    m_lastCidConnection = nullptr;
    m_byCid[cid] = connection;
    return true;
}

void
QuicEndpoint::UnregisterCid(const QuicConnectionId& cid)
{
    m_lastCidConnection = nullptr;
    m_byCid.erase(cid);
}

bool
QuicEndpoint::RegisterTuple(const Address& local,
                            const Address& remote,
                            Ptr<QuicConnection> connection)
{
    auto key = std::make_pair(local, remote);
    auto it = m_byTuple.find(key);
    if (it != m_byTuple.end() && it->second != connection)
    {
        return false;
    }
    m_byTuple[key] = connection;
    return true;
}

void
QuicEndpoint::UnregisterTuple(const Address& local, const Address& remote)
{
    m_byTuple.erase(std::make_pair(local, remote));
}

void
QuicEndpoint::RegisterResetToken(const QuicResetToken& token, Ptr<QuicConnection> connection)
{
    std::vector<QuicResetToken>& mine = m_resetTokensOf[PeekPointer(connection)];
    if (std::find(mine.begin(), mine.end(), token) != mine.end())
    {
        return;
    }
    mine.push_back(token);
    m_byResetToken.emplace(token, PeekPointer(connection));
}

void
QuicEndpoint::ConnectionClosed(Ptr<QuicConnection> connection)
{
    auto mine = m_resetTokensOf.find(PeekPointer(connection));
    if (mine != m_resetTokensOf.end())
    {
        for (const QuicResetToken& token : mine->second)
        {
            auto range = m_byResetToken.equal_range(token);
            for (auto it = range.first; it != range.second;)
            {
                it = it->second == PeekPointer(connection) ? m_byResetToken.erase(it)
                                                           : std::next(it);
            }
        }
        m_resetTokensOf.erase(mine);
    }
    // The connection has unregistered its connection IDs itself.
    auto it = std::find(m_connections.begin(), m_connections.end(), connection);
    if (it != m_connections.end())
    {
        m_connections.erase(it);
    }
}

void
QuicEndpoint::NotifyNewConnection(Ptr<QuicConnection> connection)
{
    m_newConnectionTrace(connection);
}

const std::vector<uint8_t>&
QuicEndpoint::GetResetKey()
{
    if (m_resetKey.empty())
    {
        m_resetKey.resize(32);
        for (auto& b : m_resetKey)
        {
            b = static_cast<uint8_t>(m_rng->GetInteger(0, 255));
        }
    }
    return m_resetKey;
}

void
QuicEndpoint::SimulateStateLoss()
{
    NS_LOG_FUNCTION(this);
    std::vector<Ptr<QuicConnection>> lost;
    lost.swap(m_connections);
    m_lastCidConnection = nullptr;
    m_byCid.clear();
    m_byTuple.clear();
    m_byResetToken.clear();
    m_resetTokensOf.clear();
    m_byTuple.clear();
    for (auto& c : lost)
    {
        c->Dispose();
    }
}

void
QuicEndpoint::WriteKeyLog(const std::string& line)
{
    if (m_keyLogPath.empty())
    {
        return;
    }
    if (!m_keyLog.is_open())
    {
        m_keyLog.open(m_keyLogPath, std::ios::out | std::ios::app);
        if (!m_keyLog.is_open())
        {
            NS_LOG_WARN("cannot open key log " << m_keyLogPath);
            m_keyLogPath.clear();
            return;
        }
    }
    m_keyLog << line << '\n';
    m_keyLog.flush();
}

QuicConnectionId
QuicEndpoint::GenerateCid()
{
    // RFC 9000 §5.1 (CID-01): unpredictable, and never twice the same on this endpoint.
    uint8_t bytes[QuicConnectionId::MAX_LENGTH];
    QuicConnectionId cid;
    if (m_cidLength == 0)
    {
        return cid;
    }
    do
    {
        for (uint32_t i = 0; i < m_cidLength; ++i)
        {
            bytes[i] = static_cast<uint8_t>(m_rng->GetInteger(0, 255));
        }
        cid.Set(bytes, m_cidLength);
    } while (m_byCid.count(cid) != 0);
    return cid;
}

uint32_t
QuicEndpoint::GetCidLength() const
{
    return m_cidLength;
}

const std::array<uint8_t, 32>&
QuicEndpoint::GetCertificateSeed()
{
    if (!m_certificateSeedSet)
    {
        for (auto& b : m_certificateSeed)
        {
            b = static_cast<uint8_t>(m_rng->GetInteger(0, 255));
        }
        m_certificateSeedSet = true;
    }
    return m_certificateSeed;
}

void
QuicEndpoint::HandleRead(Ptr<Socket> socket)
{
    Address from;
    Ptr<Packet> p;
    while ((p = socket->RecvFrom(from)))
    {
        uint32_t size = p->GetSize();
        if (size == 0 || size > m_rxBuffer.size())
        {
            m_dropTrace(QuicDropReason::HEADER_INVALID, size, from);
            continue;
        }
        p->CopyData(m_rxBuffer.data(), size);
        auto it = m_socketAddresses.find(socket);
        Address local = it != m_socketAddresses.end() ? it->second : Address();
        Demultiplex(size, from, local, socket);
    }
}

void
QuicEndpoint::Demultiplex(size_t size,
                          const Address& from,
                          const Address& local,
                          Ptr<Socket> socket)
{
    bool isLong = false;
    uint32_t version = 0;
    QuicConnectionId dcid;
    QuicHeaderStatus st =
        QuicPeekDestinationCid(m_rxBuffer.data(), size, m_cidLength, isLong, version, dcid);
    if (st != QuicHeaderStatus::OK && st != QuicHeaderStatus::UNSUPPORTED_VERSION)
    {
        m_dropTrace(QuicDropReason::HEADER_INVALID, static_cast<uint32_t>(size), from);
        return;
    }
    // Consecutive datagrams mostly carry the same CID: the last match is remembered (and
    // forgotten whenever a CID is registered or removed).
    QuicConnection* known = nullptr;
    if (m_lastCidConnection != nullptr && dcid == m_lastCid)
    {
        known = m_lastCidConnection;
    }
    else if (auto it = m_byCid.find(dcid); it != m_byCid.end())
    {
        known = PeekPointer(it->second);
        m_lastCid = dcid;
        m_lastCidConnection = known;
    }
    if (known != nullptr)
    {
        Ptr<QuicConnection> c = known; // kept alive while it processes
        c->ReceiveDatagram(m_rxBuffer.data(), size, local, from, socket);
        return;
    }
    if (dcid.IsEmpty() && !m_byTuple.empty())
    {
        // Zero-length connection IDs: the 4-tuple identifies the connection (RFC 9000 §5.2).
        auto t = m_byTuple.find(std::make_pair(local, from));
        if (t != m_byTuple.end())
        {
            Ptr<QuicConnection> c = t->second;
            c->ReceiveDatagram(m_rxBuffer.data(), size, local, from, socket);
            return;
        }
    }
    if (st == QuicHeaderStatus::UNSUPPORTED_VERSION)
    {
        m_dropTrace(QuicDropReason::UNSUPPORTED_VERSION, static_cast<uint32_t>(size), from);
        return;
    }
    // A new connection: only for a version-1 Initial in a datagram of at least 1200 bytes
    // (RFC 9000 §14.1, §5.2.2), on a listening socket.
    if (!isLong)
    {
        // RFC 9000 §10.3.1: an unroutable datagram may be a stateless reset for one of our
        // connections with that peer. Only the connections that were given its last 16 bytes
        // as a token are candidates (the index is a hash lookup; the connection compares the
        // token in constant time and only against connection IDs in use).
        if (size >= QUIC_RESET_TOKEN_LENGTH && !m_byResetToken.empty())
        {
            QuicResetToken tail;
            std::memcpy(tail.data(), m_rxBuffer.data() + size - tail.size(), tail.size());
            auto range = m_byResetToken.equal_range(tail);
            for (auto it = range.first; it != range.second; ++it)
            {
                Ptr<QuicConnection> c = it->second;
                if (c->GetActivePath().GetRemoteAddress() == from &&
                    c->CheckStatelessReset(m_rxBuffer.data(), size))
                {
                    return; // the connection drains (and may have left the index)
                }
            }
        }
        m_dropTrace(QuicDropReason::UNKNOWN_CID, static_cast<uint32_t>(size), from);
        SendStatelessReset(size, dcid, from, socket);
        return;
    }
    bool listening = std::find(m_listening.begin(), m_listening.end(), local) != m_listening.end();
    if (!listening)
    {
        m_dropTrace(QuicDropReason::UNKNOWN_CID, static_cast<uint32_t>(size), from);
        return;
    }
    QuicPacketHeader header;
    if (QuicParseHeader(m_rxBuffer.data(), size, m_cidLength, header) != QuicHeaderStatus::OK ||
        header.m_type != QuicPacketType::INITIAL)
    {
        m_dropTrace(QuicDropReason::UNKNOWN_CID, static_cast<uint32_t>(size), from);
        return;
    }
    if (size < MIN_INITIAL_DATAGRAM)
    {
        m_dropTrace(QuicDropReason::INITIAL_TOO_SMALL, static_cast<uint32_t>(size), from);
        return;
    }
    if (header.m_dcid.Length() < 8 || m_connections.size() >= m_maxConnections)
    {
        // RFC 9000 §7.2: the client's first Destination Connection ID is at least 8 bytes.
        m_dropTrace(QuicDropReason::OTHER, static_cast<uint32_t>(size), from);
        return;
    }
    Ptr<QuicConnection> c = CreateObject<QuicConnection>();
    if (m_streamBase >= 0)
    {
        c->AssignStreams(NextConnectionStreamBase());
    }
    m_connections.push_back(c);
    c->StartServer(this, socket, local, from, header.m_dcid, header.m_scid);
    m_newConnectionTrace(c);
    if (!m_newConnection.IsNull())
    {
        m_newConnection(c);
    }
    c->ReceiveDatagram(m_rxBuffer.data(), size, local, from, socket);
}

void
QuicEndpoint::SendStatelessReset(size_t triggerSize,
                                 const QuicConnectionId& dcid,
                                 const Address& to,
                                 Ptr<Socket> socket)
{
    // RFC 9000 §10.3: only in answer to short-header packets (never to long headers, nor to
    // a stateless reset: a reset is smaller than its trigger, so loops die out), rate-limited.
    if (!m_statelessResetEnabled || m_cidLength == 0)
    {
        return;
    }
    if (!m_resetLimiter)
    {
        m_resetLimiter = std::make_unique<QuicStatelessResetRateLimiter>(m_statelessResetRate,
                                                                         m_statelessResetBurst);
    }
    const std::vector<uint8_t>& key = GetResetKey();
    QuicResetToken token = QuicStatelessResetToken(key.data(), key.size(), dcid);
    Ptr<UniformRandomVariable> rng = m_rng;
    QuicRandomBytes random = [rng](uint8_t* dst, size_t n) {
        for (size_t i = 0; i < n; ++i)
        {
            dst[i] = static_cast<uint8_t>(rng->GetInteger(0, 255));
        }
    };
    m_resetBuffer.clear();
    QuicStatelessResetDecision d = QuicBuildStatelessReset(m_rxBuffer.data(),
                                                           triggerSize,
                                                           token,
                                                           random,
                                                           QuicStatelessResetOptions(),
                                                           m_resetBuffer);
    if (d != QuicStatelessResetDecision::SEND || !m_resetLimiter->Allow(Simulator::Now(), to))
    {
        return;
    }
    SendDatagram(socket, m_resetBuffer.data(), m_resetBuffer.size(), to);
    m_resetTrace(to,
                 static_cast<uint32_t>(m_resetBuffer.size()),
                 static_cast<uint32_t>(triggerSize));
}

} // namespace ns3
