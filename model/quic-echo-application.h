/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ECHO_APPLICATION_H
#define QUIC_ECHO_APPLICATION_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

class QuicConnection;
class QuicEndpoint;

/**
 * \ingroup quic-migration
 * \brief A QUIC server that sends every received stream byte back on the same stream.
 *
 * Listens on the Local address of the node's QuicEndpoint and adopts every server
 * connection accepted there (through the endpoint's "NewConnection" trace, as
 * QuicSinkApplication does). Bytes read on a bidirectional stream are written back on
 * that stream from the data callback (the connection sends them once the datagram being
 * processed is done, at the same simulated time); what the send buffer cannot take
 * waits for the connection's SendReady callback. When the peer's FIN has been read and
 * everything was echoed, the stream is finished too. Bytes on unidirectional streams
 * are counted and dropped (there is no way back).
 *
 * With QuicEchoClientApplication it measures application-level round-trip times across
 * path changes: a response leaves as soon as its request is read, so the echo adds no
 * delay of its own (the transport may still add pacing and ACK-driven delays).
 */
class QuicEchoServerApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicEchoServerApplication();
    ~QuicEchoServerApplication() override;

    /// \return bytes read over all connections
    uint64_t GetBytesReceived() const;

    /// \return bytes handed back to the connections
    uint64_t GetBytesEchoed() const;

    /// \return the connections accepted
    std::vector<Ptr<QuicConnection>> GetConnections() const;

    /**
     * Trace signature of Rx: (connection, stream id, bytes read).
     * \param connection the connection
     * \param streamId the stream
     * \param bytes the count
     */
    typedef void (*RxTracedCallback)(Ptr<const QuicConnection> connection,
                                     uint64_t streamId,
                                     uint32_t bytes);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /// Per-stream echo state.
    struct Backlog
    {
        std::deque<uint8_t> m_bytes; //!< read but not yet accepted by the connection
        bool m_fin{false};           //!< the peer's FIN was read
        bool m_finSent{false};       //!< our FIN was queued
    };

    /**
     * \param connection a new connection of the endpoint
     */
    void NewConnection(Ptr<QuicConnection> connection);
    /**
     * \brief Stream data callback.
     * \param connection the connection
     * \param streamId the stream
     * \param data the bytes
     * \param size their count
     * \param fin the FIN was reached
     */
    void StreamData(Ptr<QuicConnection> connection,
                    uint64_t streamId,
                    const uint8_t* data,
                    size_t size,
                    bool fin);
    /**
     * \brief SendReady callback: flush every stream of the connection.
     * \param connection the connection
     * \param streamId the stream reported (the others are retried too)
     */
    void SendReady(Ptr<QuicConnection> connection, uint64_t streamId);
    /**
     * \brief Send what the connection takes of the backlogs of a connection.
     * \param connection the connection
     */
    void Flush(Ptr<QuicConnection> connection);
    /// Stop taking connections and clear the callbacks set on them.
    void Detach();

    Address m_local; //!< listening address

    Ptr<QuicEndpoint> m_endpoint;                   //!< the node's endpoint
    bool m_listening;                               //!< NewConnection trace connected
    std::vector<Ptr<QuicConnection>> m_connections; //!< accepted connections
    std::map<QuicConnection*, std::map<uint64_t, Backlog>> m_backlogs; //!< per stream
    uint64_t m_rx;                                                     //!< bytes read
    uint64_t m_echoed;                                                 //!< bytes sent back

    TracedCallback<Ptr<const QuicConnection>, uint64_t, uint32_t> m_rxTrace; //!< Rx
};

/**
 * \ingroup quic-migration
 * \brief One request/response round trip measured by QuicEchoClientApplication.
 */
struct QuicEchoRttSample
{
    Time m_sent; //!< when the request was handed to the connection
    Time m_rtt;  //!< from then until the last byte of its response was read
};

/**
 * \ingroup quic-migration
 * \brief A QUIC client that sends fixed-size requests periodically on one long-lived
 * bidirectional stream and measures the time until each is echoed back.
 *
 * Opens one connection to Remote; once the handshake completes (RFC 9001 §4.1.1) it
 * opens one bidirectional stream and, every Interval, writes RequestSize bytes of
 * QuicStreamPattern (at their stream offsets, so the echo can be checked). Responses
 * are matched by byte count: request k is answered when (k + 1) * RequestSize bytes
 * have come back, which holds because a stream is a single ordered byte sequence. Each
 * answered request gives a sample (Rtt trace, GetRttSamples). After MaxRequests
 * requests (0: no limit) it stops sending; when the last response arrived it closes the
 * stream (FIN). The connection is closed when the application stops.
 *
 * Because one stream carries every request, a lost packet delays the responses behind
 * it (head-of-line blocking): the samples measure what an application sees.
 */
class QuicEchoClientApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicEchoClientApplication();
    ~QuicEchoClientApplication() override;

    /// \return the client connection (null before the application starts)
    Ptr<QuicConnection> GetConnection() const;

    /// \return the samples of the requests answered so far, in order
    const std::vector<QuicEchoRttSample>& GetRttSamples() const;

    /// \return requests sent
    uint32_t GetRequestsSent() const;

    /// \return echoed pieces that did not match what was sent
    uint32_t GetEchoErrors() const;

    /**
     * Trace signature of Rtt: (time the request was sent, round-trip time).
     * \param sent when the request was handed to the connection
     * \param rtt time until its response was read completely
     */
    typedef void (*RttTracedCallback)(Time sent, Time rtt);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * \brief Handshake-complete callback: starts the requests.
     * \param connection the connection
     */
    void HandshakeComplete(Ptr<QuicConnection> connection);
    /// Open the stream and send the first request.
    void StartRequests();
    /// Send one request and schedule the next.
    void SendRequest();
    /// Write as much of the pending request bytes as the connection takes.
    void Flush();
    /**
     * \brief SendReady callback.
     * \param connection the connection
     * \param streamId the stream
     */
    void SendReady(Ptr<QuicConnection> connection, uint64_t streamId);
    /**
     * \brief Stream data callback: matches responses.
     * \param connection the connection
     * \param streamId the stream
     * \param data the bytes
     * \param size their count
     * \param fin end of the stream
     */
    void StreamData(Ptr<QuicConnection> connection,
                    uint64_t streamId,
                    const uint8_t* data,
                    size_t size,
                    bool fin);
    /// Clear the callbacks set on the connection.
    void Detach();

    // Attributes
    Address m_peer;           //!< server socket address
    Address m_local;          //!< local address to bind
    std::string m_serverName; //!< TLS server_name
    Time m_interval;          //!< time between requests
    uint32_t m_requestSize;   //!< bytes per request
    uint32_t m_maxRequests;   //!< requests to send (0: unlimited)

    Ptr<QuicConnection> m_connection; //!< the client connection
    int64_t m_streamId;               //!< the stream, -1 before it is opened
    uint64_t m_written;               //!< request bytes accepted by the connection
    uint64_t m_requested;             //!< request bytes generated (m_written <= m_requested)
    uint64_t m_received;              //!< response bytes read
    uint32_t m_sentCount;             //!< requests generated
    uint32_t m_echoErrors;            //!< mismatching response pieces
    bool m_finSent;                   //!< FIN queued
    std::deque<Time> m_pending;       //!< send times of unanswered requests
    std::vector<QuicEchoRttSample> m_samples; //!< answered requests
    EventId m_sendEvent;                      //!< next request

    TracedCallback<Time, Time> m_rttTrace; //!< Rtt
};

} // namespace ns3

#endif /* QUIC_ECHO_APPLICATION_H */
