/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ENDPOINT_H
#define QUIC_ENDPOINT_H

#include "quic-connection-id.h"
#include "quic-connection.h"
#include "quic-stateless-reset.h"

#include "ns3/address.h"
#include "ns3/callback.h"
#include "ns3/node.h"
#include "ns3/object.h"
#include "ns3/ptr.h"
#include "ns3/random-variable-stream.h"
#include "ns3/socket.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief The QUIC endpoint of a node: sockets, demultiplexing, connection acceptance.
 *
 * One QuicEndpoint is aggregated to a node (QuicEndpoint::Install or
 * QuicHelper). It owns one UDP socket per local address:port in use, and the
 * connections of the node, which may be clients, servers or both, and many
 * between the same two nodes. Received datagrams are routed to their
 * connection by Destination Connection ID through a hash map (RFC 9000 §5.2):
 * a packet on any registered connection ID reaches its connection whatever its
 * source address. A server accepts a new connection only for an Initial packet
 * of version 1 in a datagram of at least 1200 bytes (§14.1); everything else
 * that matches no connection is dropped and reported by the "Drop" trace.
 *
 * The endpoint also writes the NSS key log (SSLKEYLOGFILE format) of all its
 * connections when the KeyLogFile attribute is set, so that Wireshark/tshark
 * decrypt captures (`-o tls.keylog_file:FILE`).
 *
 * IPv4 (InetSocketAddress) and IPv6 (Inet6SocketAddress) are supported.
 */
class QuicEndpoint : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicEndpoint();
    ~QuicEndpoint() override;

    /**
     * \brief The endpoint of a node, created and aggregated on first use.
     * \param node the node (must have an Internet stack)
     * \return its endpoint
     */
    static Ptr<QuicEndpoint> Install(Ptr<Node> node);

    /// \return the node
    Ptr<Node> GetNode() const;

    /**
     * \brief Accept connections on a local address (server role).
     * \param local InetSocketAddress or Inet6SocketAddress (the any-address binds all)
     * \return false if the socket cannot be bound
     */
    bool Listen(const Address& local);

    /**
     * \brief Offer a preferred address to every connection accepted from now on (RFC 9000
     * §9.6): the server advertises it in the preferred_address transport parameter, with a
     * fresh connection ID and stateless reset token, and receives on it from now on.
     *
     * The endpoint must listen on explicit (not any-) addresses for the server to tell its
     * original address from the preferred one. Zero-length connection IDs forbid a
     * preferred address (RFC 9000 §18.2): with ConnectionIdLength 0 nothing is offered.
     * \param ipv4 InetSocketAddress to offer, or an empty Address() for none
     * \param ipv6 Inet6SocketAddress to offer, or an empty Address() for none
     * \return false (and nothing offered) if an address has the wrong type, is the any-address
     *         or port 0, or cannot be bound
     */
    bool SetPreferredAddress(const Address& ipv4, const Address& ipv6 = Address());

    /// \return the IPv4 preferred address offered (empty Address() when none)
    const Address& GetPreferredAddressIpv4() const;

    /// \return the IPv6 preferred address offered (empty Address() when none)
    const Address& GetPreferredAddressIpv6() const;

    /**
     * \param cb called with every connection accepted by Listen()
     */
    void SetNewConnectionCallback(Callback<void, Ptr<QuicConnection>> cb);

    /**
     * \brief Open a client connection.
     * \param remote the server's socket address
     * \param local local address to bind (port 0 = ephemeral); an empty Address binds the
     *        any-address of the remote's family
     * \param serverName TLS server_name to send (may be empty)
     * \return the connection (its handshake starts at once), or null if no socket could be
     *         bound
     */
    Ptr<QuicConnection> Connect(const Address& remote,
                                const Address& local = Address(),
                                const std::string& serverName = "");

    /**
     * \brief Bind a UDP socket of this endpoint to a local address (used by migrating
     * connections). Port 0 gives a new ephemeral port; a fixed address reuses its socket.
     * \param local the address
     * \param bound receives the address actually bound
     * \return the socket, null if it cannot be bound
     */
    Ptr<Socket> OpenSocket(const Address& local, Address& bound);

    /// \return number of connections not yet closed
    size_t GetConnectionCount() const;

    /// \return all connections not yet closed
    std::vector<Ptr<QuicConnection>> GetConnections() const;

    /**
     * \brief Assign fixed random variable stream numbers to the endpoint and the connections
     * it will create.
     * \param stream first stream number
     * \return number of streams assigned (the endpoint reserves a block)
     */
    int64_t AssignStreams(int64_t stream);

    // ---- used by QuicConnection --------------------------------------------------------------

    /**
     * \brief Send one UDP datagram.
     * \param socket the socket to send from
     * \param data bytes
     * \param size count
     * \param to destination socket address
     * \return true if the socket accepted it
     */
    bool SendDatagram(Ptr<Socket> socket, const uint8_t* data, size_t size, const Address& to);

    /**
     * \brief Route packets carrying a connection ID to a connection.
     * \param cid the connection ID
     * \param connection the connection
     * \return false if the ID is already routed to another connection
     */
    bool RegisterCid(const QuicConnectionId& cid, Ptr<QuicConnection> connection);

    /// \param cid connection ID no longer routed
    void UnregisterCid(const QuicConnectionId& cid);

    /**
     * \brief Route packets with an empty Destination Connection ID by 4-tuple (zero-length
     * connection IDs, RFC 9000 §5.2).
     * \param local local socket address
     * \param remote remote socket address
     * \param connection the connection
     * \return false if the tuple is already routed to another connection
     */
    bool RegisterTuple(const Address& local, const Address& remote, Ptr<QuicConnection> connection);

    /// \param local local socket address \param remote remote socket address
    void UnregisterTuple(const Address& local, const Address& remote);

    /**
     * \brief Note a stateless reset token the peer gave a connection (transport parameter or
     * NEW_CONNECTION_ID), so that an unroutable datagram is checked only against the
     * connections that hold its trailing 16 bytes as a token (RFC 9000 §10.3.1), not against
     * every connection. Entries go when the connection closes.
     * \param token the token
     * \param connection the connection
     */
    void RegisterResetToken(const QuicResetToken& token, Ptr<QuicConnection> connection);

    /// \param connection a client connection set up but not started: fires NewConnection
    void NotifyNewConnection(Ptr<QuicConnection> connection);

    /// \param connection a connection that reached the closed state
    void ConnectionClosed(Ptr<QuicConnection> connection);

    /// \param line one NSS key log line (without newline)
    void WriteKeyLog(const std::string& line);

    /// \return a new random connection ID of the configured length (RFC 9000 §5.1)
    QuicConnectionId GenerateCid();

    /// \return the length of the connection IDs this endpoint issues
    uint32_t GetCidLength() const;

    /// \return the static key this endpoint derives stateless reset tokens from (§10.3.2)
    const std::vector<uint8_t>& GetResetKey();

    /**
     * \brief Forget every connection at once, sending nothing: models a server (or client)
     * that lost its state, e.g. after a restart. Sockets, the reset key and the listening
     * addresses survive, so later packets of the lost connections can draw stateless resets
     * (RFC 9000 §10.3).
     */
    void SimulateStateLoss();

    /// \return the Ed25519 seed of this endpoint's (simulated) TLS certificate
    const std::array<uint8_t, 32>& GetCertificateSeed();

    /// \return the next stream number block for a new connection's AssignStreams
    int64_t NextConnectionStreamBase();

    /// Trace signature of NewConnection: the connection, already started.
    typedef void (*NewConnectionTracedCallback)(Ptr<QuicConnection> connection);
    /// Trace signature of StatelessResetSent: (destination, reset size, trigger size).
    typedef void (*StatelessResetTracedCallback)(const Address& to,
                                                 uint32_t size,
                                                 uint32_t triggerSize);
    /// Trace signature of Drop: (reason, datagram size, source address).
    typedef void (*DropTracedCallback)(QuicDropReason reason, uint32_t size, const Address& from);

  protected:
    void DoDispose() override;

  private:
    /// \param socket socket with pending datagrams
    void HandleRead(Ptr<Socket> socket);
    /**
     * \param local local address
     * \return the socket bound to it (created and bound on first use), null on failure
     */
    Ptr<Socket> GetOrCreateSocket(const Address& local);
    /**
     * \brief Route or accept one datagram.
     * \param size datagram size (bytes in m_rxBuffer)
     * \param from source address
     * \param local local address of the socket
     * \param socket the socket
     */
    void Demultiplex(size_t size, const Address& from, const Address& local, Ptr<Socket> socket);
    /**
     * \brief Answer an unroutable short-header datagram (in m_rxBuffer) with a stateless reset.
     * \param triggerSize its size
     * \param dcid its Destination Connection ID (the configured length)
     * \param to its source address
     * \param socket the socket it arrived on
     */
    void SendStatelessReset(size_t triggerSize,
                            const QuicConnectionId& dcid,
                            const Address& to,
                            Ptr<Socket> socket);

    Ptr<Node> m_node;                                 //!< the node
    std::map<Address, Ptr<Socket>> m_sockets;         //!< sockets by local address
    std::map<Ptr<Socket>, Address> m_socketAddresses; //!< local address of each socket
    std::vector<Address> m_listening;                 //!< addresses accepting connections
    Address m_preferredIpv4;                          //!< preferred address offered (IPv4)
    Address m_preferredIpv6;                          //!< preferred address offered (IPv6)
    std::unordered_map<QuicConnectionId, Ptr<QuicConnection>, QuicConnectionIdHash> m_byCid;
    QuicConnectionId m_lastCid;                   //!< the CID Demultiplex() found last
    QuicConnection* m_lastCidConnection{nullptr}; //!< its connection (null: none remembered)
    std::map<std::pair<Address, Address>, Ptr<QuicConnection>> m_byTuple; //!< zero-length CIDs
    std::vector<Ptr<QuicConnection>> m_connections;                       //!< open connections

    /// Hash of a stateless reset token (its first 8 bytes: tokens are pseudo-random).
    struct ResetTokenHash
    {
        /// \param t token \return hash
        size_t operator()(const QuicResetToken& t) const
        {
            uint64_t v = 0;
            std::memcpy(&v, t.data(), sizeof(v));
            return static_cast<size_t>(v);
        }
    };

    /// Peer reset tokens -> connections that received them (candidates for §10.3.1).
    std::unordered_multimap<QuicResetToken, QuicConnection*, ResetTokenHash> m_byResetToken;
    /// Tokens registered per connection, to remove them when it closes.
    std::unordered_map<QuicConnection*, std::vector<QuicResetToken>> m_resetTokensOf;
    Callback<void, Ptr<QuicConnection>> m_newConnection; //!< accept callback
    std::vector<uint8_t> m_rxBuffer;                     //!< reused receive buffer
    uint32_t m_cidLength;                                //!< issued CID length
    uint32_t m_maxConnections;                           //!< accept limit
    std::string m_keyLogPath;                            //!< KeyLogFile attribute
    std::ofstream m_keyLog;                              //!< open key log
    Ptr<UniformRandomVariable> m_rng;                    //!< CID generator
    int64_t m_streamBase;                                //!< next stream block (-1: none)
    std::array<uint8_t, 32> m_certificateSeed;           //!< certificate key seed
    bool m_certificateSeedSet;                           //!< m_certificateSeed drawn
    std::vector<uint8_t> m_resetKey;                     //!< stateless reset static key
    bool m_statelessResetEnabled;                        //!< answer unknown CIDs with resets
    double m_statelessResetRate;                         //!< resets per second (all peers)
    uint32_t m_statelessResetBurst;                      //!< burst of resets
    std::unique_ptr<QuicStatelessResetRateLimiter> m_resetLimiter;   //!< rate limit
    std::vector<uint8_t> m_resetBuffer;                              //!< reused reset packet buffer
    TracedCallback<const Address&, uint32_t, uint32_t> m_resetTrace; //!< StatelessResetSent
    TracedCallback<QuicDropReason, uint32_t, const Address&> m_dropTrace; //!< Drop
    TracedCallback<Ptr<QuicConnection>> m_newConnectionTrace;             //!< NewConnection
};

} // namespace ns3

#endif /* QUIC_ENDPOINT_H */
