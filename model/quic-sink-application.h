/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_SINK_APPLICATION_H
#define QUIC_SINK_APPLICATION_H

#include "quic-stream.h"

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace ns3
{

class QuicConnection;
class QuicEndpoint;

/**
 * \ingroup quic-migration
 * \brief What QuicSinkApplication knows about one received stream.
 */
struct QuicSinkStreamRecord
{
    Ptr<QuicConnection> m_connection; //!< the connection
    uint64_t m_streamId{0};           //!< the stream
    uint64_t m_bytes{0};              //!< bytes read (in order)
    Time m_firstRxTime;               //!< when the first bytes were read
    Time m_lastRxTime;                //!< when the latest bytes were read
    Time m_finTime;                   //!< when the FIN was read (valid if m_finished)
    bool m_finished{false};           //!< the FIN was read
    uint32_t m_patternErrors{0};      //!< pieces that did not match QuicStreamPattern
    QuicStreamChecksum m_checksum;    //!< checksum of the bytes read (when verifying)
};

/**
 * \ingroup quic-migration
 * \brief A QUIC server that reads every stream to its end (the QUIC counterpart of ns-3's
 * PacketSink).
 *
 * On start it makes the node's QuicEndpoint listen on the Local address and takes every
 * server connection accepted on that address: any number of connections, each with any
 * number of peer-initiated streams (RFC 9000 §2.1). Received bytes are read as the
 * connection delivers them in order and counted per stream (QuicSinkStreamRecord). With
 * VerifyPattern (default) every piece is compared with QuicStreamPattern at its stream
 * offset, as sent by QuicBulkSendApplication or QuicConnection::SendPattern, and folded
 * into a QuicStreamChecksum that is compared with the pattern's at the FIN.
 *
 * Completion report: when a client-initiated bidirectional stream has been read up to
 * its FIN, the sink answers on the same stream with the 8-byte big-endian count of bytes
 * it read, then a FIN. QuicBulkSendApplication uses that report to know that the
 * transfer is complete.
 *
 * Connections are picked up through the endpoint's "NewConnection" trace source
 * (filtered on the local address), so several server applications (e.g. a sink and an
 * echo server on other ports) can share one node's endpoint, whose accept callback
 * (QuicEndpoint::SetNewConnectionCallback) holds a single function.
 *
 * Left out: reading at a limited rate (every byte is consumed at once, so flow control
 * never throttles the peer), unidirectional replies, resetting streams.
 */
class QuicSinkApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicSinkApplication();
    ~QuicSinkApplication() override;

    /// \return bytes read over all connections and streams
    uint64_t GetTotalRx() const;

    /// \return number of streams read up to their FIN
    uint64_t GetCompletedStreams() const;

    /// \return pieces of data that did not match QuicStreamPattern, over all streams
    uint64_t GetPatternErrors() const;

    /// \return the connections accepted, in order
    std::vector<Ptr<QuicConnection>> GetConnections() const;

    /// \return the records of every stream seen, in order of their first bytes
    std::vector<QuicSinkStreamRecord> GetStreamRecords() const;

    /**
     * Trace signature of Rx: (connection, stream id, bytes read).
     * \param connection the connection
     * \param streamId the stream
     * \param bytes the count
     */
    typedef void (*RxTracedCallback)(Ptr<const QuicConnection> connection,
                                     uint64_t streamId,
                                     uint32_t bytes);

    /**
     * Trace signature of StreamComplete: (connection, stream id, total bytes, pattern ok).
     * \param connection the connection
     * \param streamId the stream
     * \param totalBytes bytes of the stream
     * \param patternOk every byte matched QuicStreamPattern (true when not verifying)
     */
    typedef void (*StreamCompleteTracedCallback)(Ptr<const QuicConnection> connection,
                                                 uint64_t streamId,
                                                 uint64_t totalBytes,
                                                 bool patternOk);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * \brief NewConnection trace sink of the endpoint: adopts server connections on Local.
     * \param connection the new connection
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
     * \brief Send the completion report on a finished stream.
     * \param connection the connection
     * \param streamId the stream
     * \param bytes the count to report
     */
    void Report(Ptr<QuicConnection> connection, uint64_t streamId, uint64_t bytes);
    /// Stop taking new connections and clear the callbacks set on the connections.
    void Detach();

    // Attributes
    Address m_local; //!< listening address
    bool m_verify;   //!< compare with QuicStreamPattern

    Ptr<QuicEndpoint> m_endpoint;                   //!< the node's endpoint
    bool m_listening;                               //!< NewConnection trace connected
    std::vector<Ptr<QuicConnection>> m_connections; //!< accepted connections
    std::vector<QuicSinkStreamRecord> m_streams;    //!< stream records
    std::map<std::pair<QuicConnection*, uint64_t>, size_t> m_index; //!< (conn, id) -> record
    uint64_t m_totalRx;                                             //!< bytes read
    uint64_t m_completed;                                           //!< streams finished
    uint64_t m_patternErrors;                                       //!< mismatching pieces

    TracedCallback<Ptr<const QuicConnection>, uint64_t, uint32_t> m_rxTrace; //!< Rx
    TracedCallback<Ptr<const QuicConnection>, uint64_t, uint64_t, bool>
        m_streamCompleteTrace; //!< StreamComplete
};

} // namespace ns3

#endif /* QUIC_SINK_APPLICATION_H */
