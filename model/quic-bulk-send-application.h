/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_BULK_SEND_APPLICATION_H
#define QUIC_BULK_SEND_APPLICATION_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <string>

namespace ns3
{

class QuicConnection;

/**
 * \ingroup quic-migration
 * \brief A QUIC client that sends a bulk stream as fast as the connection allows (the QUIC
 * counterpart of ns-3's BulkSendApplication).
 *
 * On start it opens one client connection through the node's QuicEndpoint
 * (QuicEndpoint::Install, then Connect to the Remote attribute). As soon as the
 * handshake completes at the client (RFC 9001 §4.1.1: TLS Finished sent, 1-RTT keys
 * installed, so 1-RTT data may be sent; confirmation, §4.1.2, is not needed for that)
 * it opens one bidirectional stream (RFC 9000 §2.1) and queues payload with
 * QuicConnection::SendPattern: the bytes are the deterministic QuicStreamPattern, so
 * no copy is made and the receiver can check them. The application keeps at most
 * SendSize bytes queued but not yet sent, topped up whenever the connection reports
 * acknowledged data (SendReady callback); with MaxBytes > 0 the stream ends with a FIN
 * after exactly MaxBytes bytes, with MaxBytes = 0 it never ends.
 *
 * End of a transfer: the application protocol spoken with QuicSinkApplication is
 * minimal: when the sink has read a bidirectional stream up to its FIN it answers on
 * the same stream with the 8-byte big-endian count of bytes it received, then its own
 * FIN. The bulk sender fires TransferComplete when that report arrives, so the event
 * means "the sink has every byte", not merely "the FIN was queued" (which FinQueued
 * reports). With CloseOnComplete (default) the connection is then closed with
 * NO_ERROR (application CONNECTION_CLOSE, RFC 9000 §10.2), so a simulation without a
 * stop time ends without waiting for the idle timeout.
 *
 * Timing: the application acts inside the connection's callbacks; QuicConnection defers
 * the packets this causes until the datagram being processed is done, so nothing is
 * sent from the middle of a packet. Only Close() is scheduled (ScheduleNow) to run after
 * the datagram carrying the sink's report.
 *
 * Left out: several streams per connection, real (copied) payload, 0-RTT data,
 * reconnecting after a failed connection.
 */
class QuicBulkSendApplication : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicBulkSendApplication();
    ~QuicBulkSendApplication() override;

    /// \return the client connection (null before the application starts or if it failed)
    Ptr<QuicConnection> GetConnection() const;

    /// \return the stream carrying the transfer, -1 before it is opened
    int64_t GetStreamId() const;

    /// \return bytes handed to the connection so far
    uint64_t GetBytesQueued() const;

    /// \return true once the FIN was queued (MaxBytes reached)
    bool IsFinQueued() const;

    /// \return true once the sink reported the transfer complete
    bool IsTransferComplete() const;

    /// \return the byte count reported by the sink (valid once the transfer is complete)
    uint64_t GetBytesAcknowledgedBySink() const;

    /// \return when the stream was opened and the first bytes queued (zero before)
    Time GetTransferStartTime() const;

    /// \return when the sink's completion report arrived (zero before)
    Time GetTransferCompleteTime() const;

    /**
     * Trace signature of TxQueued: (connection, stream id, bytes just queued).
     * \param connection the connection
     * \param streamId the stream
     * \param bytes the count
     */
    typedef void (*TxQueuedTracedCallback)(Ptr<const QuicConnection> connection,
                                           uint64_t streamId,
                                           uint64_t bytes);

    /**
     * Trace signature of TransferComplete and FinQueued: (connection, bytes, duration since
     * the transfer started).
     * \param connection the connection
     * \param bytes bytes of the transfer
     * \param duration time from opening the stream to the event
     */
    typedef void (*TransferTracedCallback)(Ptr<const QuicConnection> connection,
                                           uint64_t bytes,
                                           Time duration);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;

    /**
     * \brief Handshake-complete callback: starts the transfer.
     * \param connection the connection
     */
    void HandshakeComplete(Ptr<QuicConnection> connection);
    /// Open the stream and queue the first bytes (runs once).
    void StartTransfer();
    /**
     * \brief SendReady callback: tops up.
     * \param connection the connection
     * \param streamId the stream with freed send buffer
     */
    void SendReady(Ptr<QuicConnection> connection, uint64_t streamId);
    /// Keep SendSize bytes queued but unsent; queue the FIN after MaxBytes.
    void TopUp();
    /**
     * \brief Stream data callback: collects the sink's completion report.
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
    /**
     * \brief Closed callback.
     * \param connection the connection
     * \param errorCode the error code
     * \param byPeer closed by the peer
     */
    void Closed(Ptr<QuicConnection> connection, uint64_t errorCode, bool byPeer);
    /// Clear the callbacks set on the connection.
    void Detach();

    // Attributes
    Address m_peer;           //!< server socket address
    Address m_local;          //!< local address to bind (empty: any)
    std::string m_serverName; //!< TLS server_name
    uint64_t m_maxBytes;      //!< bytes to send (0: unlimited)
    uint64_t m_sendSize;      //!< bytes kept queued ahead of the connection
    bool m_closeOnComplete;   //!< close the connection once the sink reported

    Ptr<QuicConnection> m_connection; //!< the client connection
    int64_t m_streamId;               //!< the stream, -1 before it is opened
    uint64_t m_queued;                //!< bytes queued
    bool m_finQueued;                 //!< FIN queued
    bool m_complete;                  //!< the sink reported completion
    uint8_t m_report[8];              //!< completion report being received
    uint32_t m_reportBytes;           //!< bytes of m_report received
    uint64_t m_sinkBytes;             //!< bytes reported by the sink
    Time m_startTime;                 //!< stream opened
    Time m_completeTime;              //!< report received

    TracedCallback<Ptr<const QuicConnection>, uint64_t, uint64_t> m_txQueuedTrace; //!< TxQueued
    TracedCallback<Ptr<const QuicConnection>, uint64_t, Time> m_finQueuedTrace;    //!< FinQueued
    TracedCallback<Ptr<const QuicConnection>, uint64_t, Time> m_completeTrace; //!< TransferComplete
};

} // namespace ns3

#endif /* QUIC_BULK_SEND_APPLICATION_H */
