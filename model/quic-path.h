/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_PATH_H
#define QUIC_PATH_H

#include "quic-congestion-control.h"
#include "quic-rtt-estimator.h"

#include "ns3/address.h"
#include "ns3/ptr.h"
#include "ns3/socket.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Everything a QUIC connection keeps per network path (4-tuple).
 *
 * A path is a (local address:port, remote address:port) pair (RFC 9000 §8.2,
 * §9). It owns the state that RFC 9000 §9.4 says belongs to one path: the RTT
 * estimator (RFC 9002 §5), the congestion-control state (RFC 9002 §7; the
 * strategy object is shared), bytes in flight (inside the congestion state),
 * and the anti-amplification counters of an unvalidated peer address
 * (RFC 9000 §8.1: at most 3 times the bytes received may be sent).
 *
 * Packets sent on the path are attributed to it by its id in the loss
 * recovery, so RTT samples and congestion signals of one path never leak to
 * another (RFC 9000 §9.4). Connection IDs live apart, in the connection; a
 * path refers to the peer connection ID it uses by sequence number.
 */
class QuicPath
{
  public:
    /// Anti-amplification factor (RFC 9000 §8.1).
    static constexpr uint64_t AMPLIFICATION_FACTOR = 3;

    /**
     * \param id path id, unique within the connection
     * \param local local socket address
     * \param remote remote socket address
     * \param socket the socket bound to the local address
     */
    QuicPath(uint32_t id, const Address& local, const Address& remote, Ptr<Socket> socket);

    /// \return the path id
    uint32_t GetId() const;
    /// \return the local socket address
    const Address& GetLocalAddress() const;
    /// \return the remote socket address
    const Address& GetRemoteAddress() const;
    /// \param remote new remote socket address (peer address change)
    void SetRemoteAddress(const Address& remote);
    /// \return the socket the path sends on
    Ptr<Socket> GetSocket() const;

    /**
     * \brief Move the local end of the path (a rebinding of the local socket).
     * \param local new local socket address
     * \param socket socket bound to it
     */
    void SetLocal(const Address& local, Ptr<Socket> socket);

    /// \return true when the peer address is validated (RFC 9000 §8)
    bool IsValidated() const;
    /// \param validated whether the peer address is validated
    void SetValidated(bool validated);

    /// \param bytes UDP payload bytes received from the peer on this path
    void OnBytesReceived(uint64_t bytes);
    /// \param bytes UDP payload bytes sent to the peer on this path
    void OnBytesSent(uint64_t bytes);
    /// \return bytes received on the path
    uint64_t GetBytesReceived() const;
    /// \return bytes sent on the path
    uint64_t GetBytesSent() const;
    /**
     * \brief Bytes that may still be sent before the anti-amplification limit.
     * \return UINT64_MAX once validated, else 3 x received - sent (0 if reached)
     */
    uint64_t GetAmplificationCredit() const;

    /// \return the RTT estimator
    QuicRttEstimator& Rtt();
    /// \return the RTT estimator
    const QuicRttEstimator& Rtt() const;
    /// \return the congestion-control state
    QuicCongestionState& Congestion();
    /// \return the congestion-control state
    const QuicCongestionState& Congestion() const;

    /// \return "local -> remote" for logs
    std::string ToString() const;

    /**
     * \brief Print a socket address as ip:port (IPv4) or [ip]:port (IPv6).
     * \param address an InetSocketAddress or Inet6SocketAddress
     * \return the text
     */
    static std::string AddressToString(const Address& address);

  private:
    uint32_t m_id;                    //!< path id
    Address m_local;                  //!< local socket address
    Address m_remote;                 //!< remote socket address
    Ptr<Socket> m_socket;             //!< sending socket
    bool m_validated;                 //!< peer address validated
    uint64_t m_bytesReceived;         //!< for the anti-amplification limit
    uint64_t m_bytesSent;             //!< for the anti-amplification limit
    QuicRttEstimator m_rtt;           //!< RFC 9002 §5 state
    QuicCongestionState m_congestion; //!< RFC 9002 §7 state
};

} // namespace ns3

#endif /* QUIC_PATH_H */
