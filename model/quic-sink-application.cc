/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-sink-application.h"

#include "quic-connection.h"
#include "quic-endpoint.h"

#include "ns3/boolean.h"
#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicSinkApplication");

NS_OBJECT_ENSURE_REGISTERED(QuicSinkApplication);

namespace
{

/**
 * \param listen the address an application listens on (the any-address matches any)
 * \param local the local socket address of an accepted connection
 * \return true if the connection arrived on the listening address
 */
bool
ListenAddressMatches(const Address& listen, const Address& local)
{
    if (InetSocketAddress::IsMatchingType(listen) && InetSocketAddress::IsMatchingType(local))
    {
        InetSocketAddress l = InetSocketAddress::ConvertFrom(listen);
        InetSocketAddress c = InetSocketAddress::ConvertFrom(local);
        return l.GetPort() == c.GetPort() &&
               (l.GetIpv4().IsAny() || l.GetIpv4() == c.GetIpv4() || c.GetIpv4().IsAny());
    }
    if (Inet6SocketAddress::IsMatchingType(listen) && Inet6SocketAddress::IsMatchingType(local))
    {
        Inet6SocketAddress l = Inet6SocketAddress::ConvertFrom(listen);
        Inet6SocketAddress c = Inet6SocketAddress::ConvertFrom(local);
        return l.GetPort() == c.GetPort() &&
               (l.GetIpv6().IsAny() || l.GetIpv6() == c.GetIpv6() || c.GetIpv6().IsAny());
    }
    return false;
}

/// Stream-id bits of a client-initiated bidirectional stream (RFC 9000 §2.1).
constexpr uint64_t CLIENT_BIDI = 0x0;

} // namespace

TypeId
QuicSinkApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicSinkApplication")
            .SetParent<Application>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicSinkApplication>()
            .AddAttribute("Local",
                          "Socket address to accept QUIC connections on (InetSocketAddress or "
                          "Inet6SocketAddress; the any-address accepts on every interface)",
                          AddressValue(),
                          MakeAddressAccessor(&QuicSinkApplication::m_local),
                          MakeAddressChecker())
            .AddAttribute("VerifyPattern",
                          "Compare every received byte with QuicStreamPattern at its stream "
                          "offset and keep a QuicStreamChecksum per stream",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicSinkApplication::m_verify),
                          MakeBooleanChecker())
            .AddTraceSource("Rx",
                            "Stream bytes were read",
                            MakeTraceSourceAccessor(&QuicSinkApplication::m_rxTrace),
                            "ns3::QuicSinkApplication::RxTracedCallback")
            .AddTraceSource("StreamComplete",
                            "A stream was read up to its FIN",
                            MakeTraceSourceAccessor(&QuicSinkApplication::m_streamCompleteTrace),
                            "ns3::QuicSinkApplication::StreamCompleteTracedCallback");
    return tid;
}

QuicSinkApplication::QuicSinkApplication()
    : m_verify(true),
      m_listening(false),
      m_totalRx(0),
      m_completed(0),
      m_patternErrors(0)
{
    NS_LOG_FUNCTION(this);
}

QuicSinkApplication::~QuicSinkApplication()
{
    NS_LOG_FUNCTION(this);
}

void
QuicSinkApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Detach();
    m_connections.clear();
    m_streams.clear();
    m_index.clear();
    m_endpoint = nullptr;
    Application::DoDispose();
}

uint64_t
QuicSinkApplication::GetTotalRx() const
{
    return m_totalRx;
}

uint64_t
QuicSinkApplication::GetCompletedStreams() const
{
    return m_completed;
}

uint64_t
QuicSinkApplication::GetPatternErrors() const
{
    return m_patternErrors;
}

std::vector<Ptr<QuicConnection>>
QuicSinkApplication::GetConnections() const
{
    return m_connections;
}

std::vector<QuicSinkStreamRecord>
QuicSinkApplication::GetStreamRecords() const
{
    return m_streams;
}

void
QuicSinkApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_local.IsInvalid())
    {
        NS_FATAL_ERROR("QuicSinkApplication: the Local attribute is not set");
    }
    m_endpoint = QuicEndpoint::Install(GetNode());
    if (!m_endpoint->Listen(m_local))
    {
        NS_LOG_WARN("cannot listen on " << m_local);
        return;
    }
    if (!m_listening)
    {
        m_endpoint->TraceConnectWithoutContext(
            "NewConnection",
            MakeCallback(&QuicSinkApplication::NewConnection, this));
        m_listening = true;
    }
}

void
QuicSinkApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    Detach();
}

void
QuicSinkApplication::Detach()
{
    if (m_listening && m_endpoint)
    {
        m_endpoint->TraceDisconnectWithoutContext(
            "NewConnection",
            MakeCallback(&QuicSinkApplication::NewConnection, this));
    }
    m_listening = false;
    for (auto& c : m_connections)
    {
        c->SetStreamDataCallback(QuicConnection::StreamDataCallback());
    }
}

void
QuicSinkApplication::NewConnection(Ptr<QuicConnection> connection)
{
    // The endpoint also reports client connections, before they are set up: the role is
    // the first thing to look at.
    if (connection->GetRole() != QuicConnection::SERVER ||
        !ListenAddressMatches(m_local, connection->GetActivePath().GetLocalAddress()))
    {
        return;
    }
    NS_LOG_INFO("accepted connection from "
                << QuicPath::AddressToString(connection->GetActivePath().GetRemoteAddress()));
    m_connections.push_back(connection);
    connection->SetStreamDataCallback(MakeCallback(&QuicSinkApplication::StreamData, this));
}

void
QuicSinkApplication::StreamData(Ptr<QuicConnection> connection,
                                uint64_t streamId,
                                const uint8_t* data,
                                size_t size,
                                bool fin)
{
    auto key = std::make_pair(PeekPointer(connection), streamId);
    auto it = m_index.find(key);
    if (it == m_index.end())
    {
        QuicSinkStreamRecord r;
        r.m_connection = connection;
        r.m_streamId = streamId;
        r.m_firstRxTime = Simulator::Now();
        it = m_index.emplace(key, m_streams.size()).first;
        m_streams.push_back(r);
    }
    QuicSinkStreamRecord& r = m_streams[it->second];
    if (r.m_finished)
    {
        return;
    }
    if (size > 0)
    {
        if (m_verify)
        {
            if (!QuicStreamPattern::Matches(r.m_bytes, data, size))
            {
                ++r.m_patternErrors;
                ++m_patternErrors;
                NS_LOG_WARN("stream " << streamId << ": pattern mismatch at offset " << r.m_bytes);
            }
            r.m_checksum.Add(r.m_bytes, data, size);
        }
        r.m_bytes += size;
        r.m_lastRxTime = Simulator::Now();
        m_totalRx += size;
        m_rxTrace(connection, streamId, static_cast<uint32_t>(size));
    }
    if (!fin)
    {
        return;
    }
    r.m_finished = true;
    r.m_finTime = Simulator::Now();
    ++m_completed;
    bool ok = true;
    if (m_verify)
    {
        if (r.m_checksum != QuicStreamChecksum::OfPattern(0, r.m_bytes))
        {
            ++r.m_patternErrors;
            ++m_patternErrors;
        }
        ok = r.m_patternErrors == 0;
    }
    NS_LOG_INFO("stream " << streamId << " complete: " << r.m_bytes << " bytes"
                          << (ok ? "" : ", pattern errors"));
    m_streamCompleteTrace(connection, streamId, r.m_bytes, ok);
    if ((streamId & 0x3) == CLIENT_BIDI)
    {
        Report(connection, streamId, r.m_bytes);
    }
}

void
QuicSinkApplication::Report(Ptr<QuicConnection> connection, uint64_t streamId, uint64_t bytes)
{
    if (connection->GetState() != QuicConnection::CONNECTED)
    {
        return;
    }
    uint8_t report[8];
    for (int i = 7; i >= 0; --i)
    {
        report[i] = static_cast<uint8_t>(bytes & 0xff);
        bytes >>= 8;
    }
    if (connection->Send(streamId, report, sizeof(report)) == sizeof(report))
    {
        connection->FinishStream(streamId);
    }
}

} // namespace ns3
