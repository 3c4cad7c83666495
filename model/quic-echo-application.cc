/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-echo-application.h"

#include "quic-connection.h"
#include "quic-endpoint.h"
#include "quic-stream.h"

#include "ns3/inet-socket-address.h"
#include "ns3/inet6-socket-address.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicEchoApplication");

NS_OBJECT_ENSURE_REGISTERED(QuicEchoServerApplication);
NS_OBJECT_ENSURE_REGISTERED(QuicEchoClientApplication);

namespace
{

/// Largest piece copied into the connection per Send() call.
constexpr size_t MAX_WRITE = 64 * 1024;

/// Stream-id bit of unidirectional streams (RFC 9000 §2.1).
constexpr uint64_t UNIDIRECTIONAL_BIT = 0x2;

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

} // namespace

// =============================================================================================
// QuicEchoServerApplication
// =============================================================================================

TypeId
QuicEchoServerApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicEchoServerApplication")
            .SetParent<Application>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicEchoServerApplication>()
            .AddAttribute("Local",
                          "Socket address to accept QUIC connections on (InetSocketAddress or "
                          "Inet6SocketAddress)",
                          AddressValue(),
                          MakeAddressAccessor(&QuicEchoServerApplication::m_local),
                          MakeAddressChecker())
            .AddTraceSource("Rx",
                            "Stream bytes were read (and queued to be echoed)",
                            MakeTraceSourceAccessor(&QuicEchoServerApplication::m_rxTrace),
                            "ns3::QuicEchoServerApplication::RxTracedCallback");
    return tid;
}

QuicEchoServerApplication::QuicEchoServerApplication()
    : m_listening(false),
      m_rx(0),
      m_echoed(0)
{
    NS_LOG_FUNCTION(this);
}

QuicEchoServerApplication::~QuicEchoServerApplication()
{
    NS_LOG_FUNCTION(this);
}

void
QuicEchoServerApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Detach();
    m_backlogs.clear();
    m_connections.clear();
    m_endpoint = nullptr;
    Application::DoDispose();
}

uint64_t
QuicEchoServerApplication::GetBytesReceived() const
{
    return m_rx;
}

uint64_t
QuicEchoServerApplication::GetBytesEchoed() const
{
    return m_echoed;
}

std::vector<Ptr<QuicConnection>>
QuicEchoServerApplication::GetConnections() const
{
    return m_connections;
}

void
QuicEchoServerApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_local.IsInvalid())
    {
        NS_FATAL_ERROR("QuicEchoServerApplication: the Local attribute is not set");
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
            MakeCallback(&QuicEchoServerApplication::NewConnection, this));
        m_listening = true;
    }
}

void
QuicEchoServerApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    Detach();
}

void
QuicEchoServerApplication::Detach()
{
    if (m_listening && m_endpoint)
    {
        m_endpoint->TraceDisconnectWithoutContext(
            "NewConnection",
            MakeCallback(&QuicEchoServerApplication::NewConnection, this));
    }
    m_listening = false;
    for (auto& c : m_connections)
    {
        c->SetStreamDataCallback(QuicConnection::StreamDataCallback());
        c->SetSendReadyCallback(MakeNullCallback<void, Ptr<QuicConnection>, uint64_t>());
    }
}

void
QuicEchoServerApplication::NewConnection(Ptr<QuicConnection> connection)
{
    if (connection->GetRole() != QuicConnection::SERVER ||
        !ListenAddressMatches(m_local, connection->GetActivePath().GetLocalAddress()))
    {
        return;
    }
    m_connections.push_back(connection);
    connection->SetStreamDataCallback(MakeCallback(&QuicEchoServerApplication::StreamData, this));
    connection->SetSendReadyCallback(MakeCallback(&QuicEchoServerApplication::SendReady, this));
}

void
QuicEchoServerApplication::StreamData(Ptr<QuicConnection> connection,
                                      uint64_t streamId,
                                      const uint8_t* data,
                                      size_t size,
                                      bool fin)
{
    m_rx += size;
    if (size > 0)
    {
        m_rxTrace(connection, streamId, static_cast<uint32_t>(size));
    }
    if ((streamId & UNIDIRECTIONAL_BIT) != 0)
    {
        return; // no way back
    }
    Backlog& b = m_backlogs[PeekPointer(connection)][streamId];
    b.m_bytes.insert(b.m_bytes.end(), data, data + size);
    b.m_fin = b.m_fin || fin;
    // The connection sends the reply once the datagram being processed is done.
    Flush(connection);
}

void
QuicEchoServerApplication::SendReady(Ptr<QuicConnection> connection, uint64_t /* streamId */)
{
    Flush(connection);
}

void
QuicEchoServerApplication::Flush(Ptr<QuicConnection> connection)
{
    auto it = m_backlogs.find(PeekPointer(connection));
    if (it == m_backlogs.end() || connection->GetState() != QuicConnection::CONNECTED)
    {
        return;
    }
    std::vector<uint8_t> piece;
    for (auto s = it->second.begin(); s != it->second.end();)
    {
        Backlog& b = s->second;
        while (!b.m_bytes.empty())
        {
            size_t n = std::min(b.m_bytes.size(), MAX_WRITE);
            piece.assign(b.m_bytes.begin(), b.m_bytes.begin() + static_cast<std::ptrdiff_t>(n));
            size_t accepted = connection->Send(s->first, piece.data(), n);
            b.m_bytes.erase(b.m_bytes.begin(),
                            b.m_bytes.begin() + static_cast<std::ptrdiff_t>(accepted));
            m_echoed += accepted;
            if (accepted < n)
            {
                break; // the rest when acknowledgments free the send buffer
            }
        }
        if (b.m_bytes.empty() && b.m_fin && !b.m_finSent)
        {
            connection->FinishStream(s->first);
            b.m_finSent = true;
        }
        if (b.m_finSent)
        {
            s = it->second.erase(s);
        }
        else
        {
            ++s;
        }
    }
}

// =============================================================================================
// QuicEchoClientApplication
// =============================================================================================

TypeId
QuicEchoClientApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicEchoClientApplication")
            .SetParent<Application>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicEchoClientApplication>()
            .AddAttribute("Remote",
                          "Socket address of the echo server",
                          AddressValue(),
                          MakeAddressAccessor(&QuicEchoClientApplication::m_peer),
                          MakeAddressChecker())
            .AddAttribute("Local",
                          "Local socket address to bind; empty (default) binds the "
                          "any-address with an ephemeral port",
                          AddressValue(),
                          MakeAddressAccessor(&QuicEchoClientApplication::m_local),
                          MakeAddressChecker())
            .AddAttribute("ServerName",
                          "TLS server_name sent in the ClientHello (RFC 9001 §4); empty sends "
                          "none",
                          StringValue(""),
                          MakeStringAccessor(&QuicEchoClientApplication::m_serverName),
                          MakeStringChecker())
            .AddAttribute("Interval",
                          "Time between two requests",
                          TimeValue(MilliSeconds(100)),
                          MakeTimeAccessor(&QuicEchoClientApplication::m_interval),
                          MakeTimeChecker(MicroSeconds(1)))
            .AddAttribute("RequestSize",
                          "Bytes per request (and per response)",
                          UintegerValue(100),
                          MakeUintegerAccessor(&QuicEchoClientApplication::m_requestSize),
                          MakeUintegerChecker<uint32_t>(1))
            .AddAttribute("MaxRequests",
                          "Requests to send; 0 sends until the application stops",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicEchoClientApplication::m_maxRequests),
                          MakeUintegerChecker<uint32_t>())
            .AddTraceSource("Rtt",
                            "A request was answered: (time it was sent, round-trip time)",
                            MakeTraceSourceAccessor(&QuicEchoClientApplication::m_rttTrace),
                            "ns3::QuicEchoClientApplication::RttTracedCallback");
    return tid;
}

QuicEchoClientApplication::QuicEchoClientApplication()
    : m_requestSize(100),
      m_maxRequests(0),
      m_streamId(-1),
      m_written(0),
      m_requested(0),
      m_received(0),
      m_sentCount(0),
      m_echoErrors(0),
      m_finSent(false)
{
    NS_LOG_FUNCTION(this);
}

QuicEchoClientApplication::~QuicEchoClientApplication()
{
    NS_LOG_FUNCTION(this);
}

void
QuicEchoClientApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Simulator::Cancel(m_sendEvent);
    Detach();
    m_connection = nullptr;
    Application::DoDispose();
}

Ptr<QuicConnection>
QuicEchoClientApplication::GetConnection() const
{
    return m_connection;
}

const std::vector<QuicEchoRttSample>&
QuicEchoClientApplication::GetRttSamples() const
{
    return m_samples;
}

uint32_t
QuicEchoClientApplication::GetRequestsSent() const
{
    return m_sentCount;
}

uint32_t
QuicEchoClientApplication::GetEchoErrors() const
{
    return m_echoErrors;
}

void
QuicEchoClientApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_connection)
    {
        return;
    }
    if (m_peer.IsInvalid())
    {
        NS_FATAL_ERROR("QuicEchoClientApplication: the Remote attribute is not set");
    }
    m_connection = QuicEndpoint::Install(GetNode())->Connect(m_peer, m_local, m_serverName);
    if (!m_connection)
    {
        NS_LOG_WARN("cannot open a QUIC connection (bind failed)");
        return;
    }
    m_connection->SetHandshakeCompleteCallback(
        MakeCallback(&QuicEchoClientApplication::HandshakeComplete, this));
    m_connection->SetSendReadyCallback(MakeCallback(&QuicEchoClientApplication::SendReady, this));
    m_connection->SetStreamDataCallback(MakeCallback(&QuicEchoClientApplication::StreamData, this));
}

void
QuicEchoClientApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    Simulator::Cancel(m_sendEvent);
    if (m_connection && m_connection->GetState() != QuicConnection::CLOSED)
    {
        m_connection->Close(0, "application stopped");
    }
    Detach();
}

void
QuicEchoClientApplication::Detach()
{
    if (!m_connection)
    {
        return;
    }
    m_connection->SetHandshakeCompleteCallback(MakeNullCallback<void, Ptr<QuicConnection>>());
    m_connection->SetSendReadyCallback(MakeNullCallback<void, Ptr<QuicConnection>, uint64_t>());
    m_connection->SetStreamDataCallback(QuicConnection::StreamDataCallback());
}

void
QuicEchoClientApplication::HandshakeComplete(Ptr<QuicConnection> /* connection */)
{
    StartRequests();
}

void
QuicEchoClientApplication::StartRequests()
{
    NS_LOG_FUNCTION(this);
    if (!m_connection || m_streamId >= 0)
    {
        return;
    }
    m_streamId = m_connection->OpenStream(true);
    if (m_streamId < 0)
    {
        NS_LOG_WARN("cannot open a stream");
        return;
    }
    SendRequest();
}

void
QuicEchoClientApplication::SendRequest()
{
    if (m_maxRequests > 0 && m_sentCount >= m_maxRequests)
    {
        return;
    }
    m_pending.push_back(Simulator::Now());
    m_requested += m_requestSize;
    ++m_sentCount;
    Flush();
    if (m_maxRequests == 0 || m_sentCount < m_maxRequests)
    {
        m_sendEvent =
            Simulator::Schedule(m_interval, &QuicEchoClientApplication::SendRequest, this);
    }
}

void
QuicEchoClientApplication::Flush()
{
    if (!m_connection || m_streamId < 0 || m_connection->GetState() != QuicConnection::CONNECTED)
    {
        return;
    }
    std::vector<uint8_t> piece;
    while (m_written < m_requested)
    {
        size_t n = static_cast<size_t>(std::min<uint64_t>(m_requested - m_written, MAX_WRITE));
        piece.resize(n);
        QuicStreamPattern::Fill(m_written, piece.data(), n);
        size_t accepted = m_connection->Send(static_cast<uint64_t>(m_streamId), piece.data(), n);
        m_written += accepted;
        if (accepted < n)
        {
            break;
        }
    }
}

void
QuicEchoClientApplication::SendReady(Ptr<QuicConnection> /* connection */, uint64_t /* streamId */)
{
    Flush();
}

void
QuicEchoClientApplication::StreamData(Ptr<QuicConnection> connection,
                                      uint64_t streamId,
                                      const uint8_t* data,
                                      size_t size,
                                      bool /* fin */)
{
    if (m_streamId < 0 || streamId != static_cast<uint64_t>(m_streamId) || size == 0)
    {
        return;
    }
    if (!QuicStreamPattern::Matches(m_received, data, size))
    {
        ++m_echoErrors;
        NS_LOG_WARN("echo mismatch at offset " << m_received);
    }
    m_received += size;
    Time now = Simulator::Now();
    while (!m_pending.empty() &&
           m_received >= (m_samples.size() + 1) * static_cast<uint64_t>(m_requestSize))
    {
        QuicEchoRttSample s;
        s.m_sent = m_pending.front();
        s.m_rtt = now - s.m_sent;
        m_pending.pop_front();
        m_samples.push_back(s);
        m_rttTrace(s.m_sent, s.m_rtt);
    }
    if (m_maxRequests > 0 && m_samples.size() >= m_maxRequests && !m_finSent)
    {
        m_finSent = connection->FinishStream(static_cast<uint64_t>(m_streamId));
    }
}

} // namespace ns3
