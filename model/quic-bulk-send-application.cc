/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#include "quic-bulk-send-application.h"

#include "quic-connection.h"
#include "quic-endpoint.h"

#include "ns3/address.h"
#include "ns3/boolean.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/string.h"
#include "ns3/uinteger.h"

#include <algorithm>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("QuicBulkSendApplication");

NS_OBJECT_ENSURE_REGISTERED(QuicBulkSendApplication);

TypeId
QuicBulkSendApplication::GetTypeId()
{
    static TypeId tid =
        TypeId("ns3::QuicBulkSendApplication")
            .SetParent<Application>()
            .SetGroupName("QuicMigration")
            .AddConstructor<QuicBulkSendApplication>()
            .AddAttribute("Remote",
                          "Socket address of the QUIC server (InetSocketAddress or "
                          "Inet6SocketAddress)",
                          AddressValue(),
                          MakeAddressAccessor(&QuicBulkSendApplication::m_peer),
                          MakeAddressChecker())
            .AddAttribute("Local",
                          "Local socket address to bind; empty (default) binds the "
                          "any-address of the remote's family with an ephemeral port",
                          AddressValue(),
                          MakeAddressAccessor(&QuicBulkSendApplication::m_local),
                          MakeAddressChecker())
            .AddAttribute("ServerName",
                          "TLS server_name sent in the ClientHello (RFC 9001 §4, RFC 6066 §3); "
                          "empty sends none",
                          StringValue(""),
                          MakeStringAccessor(&QuicBulkSendApplication::m_serverName),
                          MakeStringChecker())
            .AddAttribute("MaxBytes",
                          "Bytes to send on the stream before its FIN; 0 sends without end",
                          UintegerValue(0),
                          MakeUintegerAccessor(&QuicBulkSendApplication::m_maxBytes),
                          MakeUintegerChecker<uint64_t>())
            .AddAttribute("SendSize",
                          "Bytes the application keeps queued but not yet sent. The payload "
                          "is virtual (no copy), so this only bounds how far the application "
                          "runs ahead of the transport",
                          UintegerValue(1 << 20),
                          MakeUintegerAccessor(&QuicBulkSendApplication::m_sendSize),
                          MakeUintegerChecker<uint64_t>(1))
            .AddAttribute("CloseOnComplete",
                          "Close the connection (application CONNECTION_CLOSE with "
                          "NO_ERROR, RFC 9000 §10.2) once the sink reported the transfer "
                          "complete",
                          BooleanValue(true),
                          MakeBooleanAccessor(&QuicBulkSendApplication::m_closeOnComplete),
                          MakeBooleanChecker())
            .AddTraceSource("TxQueued",
                            "Bytes were queued on the stream",
                            MakeTraceSourceAccessor(&QuicBulkSendApplication::m_txQueuedTrace),
                            "ns3::QuicBulkSendApplication::TxQueuedTracedCallback")
            .AddTraceSource("FinQueued",
                            "All MaxBytes bytes and the FIN were queued",
                            MakeTraceSourceAccessor(&QuicBulkSendApplication::m_finQueuedTrace),
                            "ns3::QuicBulkSendApplication::TransferTracedCallback")
            .AddTraceSource("TransferComplete",
                            "The sink reported that it read the whole stream up to the FIN",
                            MakeTraceSourceAccessor(&QuicBulkSendApplication::m_completeTrace),
                            "ns3::QuicBulkSendApplication::TransferTracedCallback");
    return tid;
}

QuicBulkSendApplication::QuicBulkSendApplication()
    : m_maxBytes(0),
      m_sendSize(1 << 20),
      m_closeOnComplete(true),
      m_streamId(-1),
      m_queued(0),
      m_finQueued(false),
      m_complete(false),
      m_report{},
      m_reportBytes(0),
      m_sinkBytes(0)
{
    NS_LOG_FUNCTION(this);
}

QuicBulkSendApplication::~QuicBulkSendApplication()
{
    NS_LOG_FUNCTION(this);
}

void
QuicBulkSendApplication::DoDispose()
{
    NS_LOG_FUNCTION(this);
    Detach();
    m_connection = nullptr;
    Application::DoDispose();
}

Ptr<QuicConnection>
QuicBulkSendApplication::GetConnection() const
{
    return m_connection;
}

int64_t
QuicBulkSendApplication::GetStreamId() const
{
    return m_streamId;
}

uint64_t
QuicBulkSendApplication::GetBytesQueued() const
{
    return m_queued;
}

bool
QuicBulkSendApplication::IsFinQueued() const
{
    return m_finQueued;
}

bool
QuicBulkSendApplication::IsTransferComplete() const
{
    return m_complete;
}

uint64_t
QuicBulkSendApplication::GetBytesAcknowledgedBySink() const
{
    return m_sinkBytes;
}

Time
QuicBulkSendApplication::GetTransferStartTime() const
{
    return m_startTime;
}

Time
QuicBulkSendApplication::GetTransferCompleteTime() const
{
    return m_completeTime;
}

void
QuicBulkSendApplication::StartApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_connection)
    {
        return; // started before: one connection per application
    }
    if (m_peer.IsInvalid())
    {
        NS_FATAL_ERROR("QuicBulkSendApplication: the Remote attribute is not set");
    }
    m_connection = QuicEndpoint::Install(GetNode())->Connect(m_peer, m_local, m_serverName);
    if (!m_connection)
    {
        NS_LOG_WARN("cannot open a QUIC connection (bind failed)");
        return;
    }
    m_connection->SetHandshakeCompleteCallback(
        MakeCallback(&QuicBulkSendApplication::HandshakeComplete, this));
    m_connection->SetSendReadyCallback(MakeCallback(&QuicBulkSendApplication::SendReady, this));
    m_connection->SetStreamDataCallback(MakeCallback(&QuicBulkSendApplication::StreamData, this));
    m_connection->SetClosedCallback(MakeCallback(&QuicBulkSendApplication::Closed, this));
}

void
QuicBulkSendApplication::StopApplication()
{
    NS_LOG_FUNCTION(this);
    if (m_connection && m_connection->GetState() != QuicConnection::CLOSED)
    {
        m_connection->Close(0, "application stopped");
    }
    Detach();
}

void
QuicBulkSendApplication::Detach()
{
    if (!m_connection)
    {
        return;
    }
    m_connection->SetHandshakeCompleteCallback(MakeNullCallback<void, Ptr<QuicConnection>>());
    m_connection->SetSendReadyCallback(MakeNullCallback<void, Ptr<QuicConnection>, uint64_t>());
    m_connection->SetStreamDataCallback(QuicConnection::StreamDataCallback());
    m_connection->SetClosedCallback(MakeNullCallback<void, Ptr<QuicConnection>, uint64_t, bool>());
}

void
QuicBulkSendApplication::HandshakeComplete(Ptr<QuicConnection> /* connection */)
{
    StartTransfer();
}

void
QuicBulkSendApplication::StartTransfer()
{
    NS_LOG_FUNCTION(this);
    if (m_streamId >= 0 || !m_connection)
    {
        return;
    }
    m_streamId = m_connection->OpenStream(true);
    if (m_streamId < 0)
    {
        NS_LOG_WARN("cannot open a stream");
        return;
    }
    m_startTime = Simulator::Now();
    TopUp();
}

void
QuicBulkSendApplication::SendReady(Ptr<QuicConnection> /* connection */, uint64_t /* streamId */)
{
    TopUp();
}

void
QuicBulkSendApplication::TopUp()
{
    if (!m_connection || m_streamId < 0 || m_finQueued ||
        m_connection->GetState() != QuicConnection::CONNECTED)
    {
        return;
    }
    const uint64_t streamId = static_cast<uint64_t>(m_streamId);
    // STREAM bytes sent include retransmissions, so the backlog is underestimated and the
    // application may run a little further ahead: harmless with virtual payload.
    const uint64_t sent = m_connection->GetStats().m_streamBytesSent;
    uint64_t backlog = m_queued > sent ? m_queued - sent : 0;
    while (backlog < m_sendSize && (m_maxBytes == 0 || m_queued < m_maxBytes))
    {
        uint64_t n = m_sendSize - backlog;
        if (m_maxBytes > 0)
        {
            n = std::min(n, m_maxBytes - m_queued);
        }
        uint64_t accepted = m_connection->SendPattern(streamId, n);
        if (accepted == 0)
        {
            break;
        }
        m_queued += accepted;
        backlog += accepted;
        m_txQueuedTrace(m_connection, streamId, accepted);
    }
    if (m_maxBytes > 0 && m_queued >= m_maxBytes && !m_finQueued)
    {
        m_finQueued = m_connection->FinishStream(streamId);
        if (m_finQueued)
        {
            NS_LOG_INFO("FIN queued after " << m_queued << " bytes");
            m_finQueuedTrace(m_connection, m_queued, Simulator::Now() - m_startTime);
        }
    }
}

void
QuicBulkSendApplication::StreamData(Ptr<QuicConnection> connection,
                                    uint64_t streamId,
                                    const uint8_t* data,
                                    size_t size,
                                    bool /* fin */)
{
    if (m_streamId < 0 || streamId != static_cast<uint64_t>(m_streamId) || m_complete)
    {
        return;
    }
    // The sink's report: 8 bytes, big-endian count of the bytes it read.
    size_t n = std::min<size_t>(size, sizeof(m_report) - m_reportBytes);
    std::copy(data, data + n, m_report + m_reportBytes);
    m_reportBytes += static_cast<uint32_t>(n);
    if (m_reportBytes < sizeof(m_report))
    {
        return;
    }
    m_sinkBytes = 0;
    for (uint8_t b : m_report)
    {
        m_sinkBytes = (m_sinkBytes << 8) | b;
    }
    m_complete = true;
    m_completeTime = Simulator::Now();
    NS_LOG_INFO("sink reports " << m_sinkBytes << " bytes after "
                                << (m_completeTime - m_startTime).As(Time::S));
    if (m_sinkBytes != m_queued)
    {
        NS_LOG_WARN("sink reports " << m_sinkBytes << " bytes, " << m_queued << " were sent");
    }
    m_completeTrace(connection, m_sinkBytes, m_completeTime - m_startTime);
    if (m_closeOnComplete)
    {
        // After the datagram carrying the report is processed, not in the middle of it.
        Simulator::ScheduleNow(&QuicConnection::Close, connection, 0, std::string("done"));
    }
}

void
QuicBulkSendApplication::Closed(Ptr<QuicConnection> /* connection */,
                                uint64_t errorCode,
                                bool byPeer)
{
    NS_LOG_INFO("connection closed, error " << errorCode << (byPeer ? " by the peer" : ""));
    if (!m_complete && !m_finQueued && m_streamId >= 0)
    {
        NS_LOG_WARN("connection closed before the transfer completed");
    }
}

} // namespace ns3
