/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ATTACKER_H
#define QUIC_ATTACKER_H

#include "quic-routing-wrapper.h"

#include "ns3/application.h"
#include "ns3/event-id.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/net-device.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

namespace ns3
{

class Node;
class Packet;
class Socket;
class UniformRandomVariable;

/**
 * \ingroup quic-migration
 * \brief Builds and sends IPv4/UDP datagrams with any source address and port, for the
 * attacker models.
 *
 * The datagram is built whole (UDP header with its checksum computed over the IPv4
 * pseudo-header of the *spoofed* source, RFC 768; IPv4 header with its checksum) and sent
 * through an IPv4 raw socket with IpHeaderInclude (the IP_HDRINCL of BSD sockets), so the
 * node's routing picks the outgoing device while the source address on the wire is the one
 * given. Used by QuicOffPathInjector and QuicCopyRaceForwarder.
 */
class QuicSpoofingSender
{
  public:
    /**
     * \brief Open the raw socket on a node (idempotent).
     * \param node the attacker node
     */
    void Open(Ptr<Node> node);
    /// Close the socket.
    void Close();
    /// \return true if Open() succeeded
    bool IsOpen() const;

    /**
     * \brief Send one spoofed datagram.
     * \param source source address on the wire
     * \param sourcePort source port on the wire
     * \param destination destination address
     * \param destinationPort destination port
     * \param payload UDP payload
     * \param size its length
     * \return the IPv4 packet as sent (IPv4 + UDP headers), or null if it could not be sent
     */
    Ptr<Packet> Send(Ipv4Address source,
                     uint16_t sourcePort,
                     Ipv4Address destination,
                     uint16_t destinationPort,
                     const uint8_t* payload,
                     uint32_t size);

    /**
     * \brief The source address the node's routing would use toward a destination.
     * \param destination the destination
     * \return the address, or 0.0.0.0 without a route
     */
    Ipv4Address SourceToward(Ipv4Address destination) const;

  private:
    Ptr<Node> m_node;     //!< the attacker node
    Ptr<Socket> m_socket; //!< raw socket, protocol 17, IpHeaderInclude
    uint16_t m_ipId{0};   //!< IPv4 identification of the next datagram
};

/**
 * \ingroup quic-migration
 * \brief The parts of a captured IPv4/UDP datagram that the attackers use.
 */
struct QuicCapturedDatagram
{
    Ipv4Address source;           //!< source address
    uint16_t sourcePort{0};       //!< source port
    Ipv4Address destination;      //!< destination address
    uint16_t destinationPort{0};  //!< destination port
    std::vector<uint8_t> payload; //!< UDP payload
};

/**
 * \brief Parse an IPv4 packet (as seen by a device's MacTx/MacRx trace) holding a UDP
 * datagram.
 * \param p the packet, starting with the IPv4 header
 * \param out the parsed datagram
 * \return false if it is not an unfragmented IPv4/UDP datagram
 */
bool QuicParseUdpDatagram(Ptr<const Packet> p, QuicCapturedDatagram& out);

/**
 * \ingroup quic-migration
 * \brief Off-path attacker (RFC 9000 §9.3, §21.1.3, §21.5): an Application on its own node that
 * sends datagrams with a spoofed source address and port to a QUIC endpoint.
 *
 * **What it sends** (attribute Mode), one datagram every Interval, Count datagrams from the
 * application's start:
 * - RANDOM: PacketSize random bytes (garbage; the receiver drops it as an invalid header or an
 *   unknown connection ID);
 * - SHORT_HEADER: a short-header (1-RTT) packet whose Destination Connection ID is
 *   GuessedCid (hex) or, when empty, CidLength random bytes, followed by random "protected"
 *   bytes up to PacketSize (the receiver cannot authenticate it: DECRYPTION_FAILED when the
 *   CID is right, UNKNOWN_CID otherwise);
 * - STATELESS_RESET: a forged stateless reset (RFC 9000 §10.3): fixed bit set, random bytes,
 *   and a 16-byte random "token" at the end (the attacker does not know the real token, so
 *   the connection must survive, SR-09);
 * - REPLAY: the datagrams captured by Sniff() on some device (at most ReplayBufferSize, the
 *   oldest replayed first, round robin), re-sent as they were or from the spoofed source.
 *
 * Source address SpoofedSource (0.0.0.0: keep the captured source in REPLAY mode, or the
 * node's own address otherwise) and SpoofedPort (0: the captured port, or a random one).
 * Every datagram is reported by the "Injected" trace with the IPv4 packet as it left.
 *
 * **Leaves out.** IPv6; TCP; adaptive attacks (it does not read the answers).
 */
class QuicOffPathInjector : public Application
{
  public:
    /// What the injector sends.
    enum Mode
    {
        RANDOM,          ///< random bytes
        SHORT_HEADER,    ///< short-header packet with a guessed or random CID
        STATELESS_RESET, ///< forged stateless reset with a fake token
        REPLAY,          ///< replay of captured datagrams
    };

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicOffPathInjector();
    ~QuicOffPathInjector() override;

    /**
     * \brief Capture the IPv4/UDP datagrams a device sends or receives (traces MacTx and
     * MacRx), for REPLAY. Only datagrams to or from port CapturePort (0: any) are kept.
     * \param device the device to watch (may be on another node: a passive tap)
     * \return false if the device has neither trace
     */
    bool Sniff(Ptr<NetDevice> device);

    /// \return datagrams sent so far
    uint64_t GetInjectedCount() const;
    /// \return datagrams held for replay
    size_t GetCapturedCount() const;

    /**
     * \brief Assign fixed random variable stream numbers.
     * \param stream first stream number
     * \return number of streams assigned (1)
     */
    int64_t AssignStreams(int64_t stream);

    /// Trace signature of Injected: (IPv4 packet as sent, mode).
    typedef void (*InjectedTracedCallback)(Ptr<const Packet> packet, Mode mode);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void InjectOne();
    void OnCapture(Ptr<const Packet> p);

    Ipv4Address m_target;                        //!< destination address
    uint16_t m_targetPort;                       //!< destination port
    Ipv4Address m_spoofedSource;                 //!< source on the wire (0.0.0.0: see class doc)
    uint16_t m_spoofedPort;                      //!< source port (0: captured or random)
    Mode m_mode;                                 //!< what to send
    Time m_interval;                             //!< time between datagrams
    uint32_t m_count;                            //!< datagrams to send (0: until stopped)
    uint32_t m_packetSize;                       //!< UDP payload size (RANDOM, SHORT_HEADER, RESET)
    std::string m_guessedCid;                    //!< hex DCID for SHORT_HEADER ("" = random)
    uint32_t m_cidLength;                        //!< random DCID length
    uint16_t m_capturePort;                      //!< REPLAY: port filter of the capture
    uint32_t m_replayBufferSize;                 //!< REPLAY: datagrams kept
    Ptr<UniformRandomVariable> m_rng;            //!< random bytes
    QuicSpoofingSender m_sender;                 //!< raw sending
    EventId m_event;                             //!< next injection
    uint64_t m_sent{0};                          //!< datagrams sent
    uint64_t m_replayNext{0};                    //!< next captured datagram to replay
    std::deque<QuicCapturedDatagram> m_captured; //!< captured datagrams
    TracedCallback<Ptr<const Packet>, Mode> m_injectedTrace; //!< Injected
};

/**
 * \ingroup quic-migration
 * \brief On-path attacker on a router (RFC 9000 §9.3.2, §9.3.1, §21.1.3): rewrites the source
 * address and/or port of selected forwarded UDP datagrams, e.g. toward a victim's address.
 *
 * **Mechanism.** Like QuicNat, an Ipv4RoutingProtocol wrapping the router's routing protocol
 * (Attach()): forwarding decisions are the wrapped protocol's; when it forwards a datagram
 * that matches (UDP, destination port MatchDestinationPort or any when 0, source address
 * MatchSource or any when 0.0.0.0, between Start and Stop, at most MaxPackets, each with
 * probability Probability), the source becomes NewSource (0.0.0.0: unchanged) and the source
 * port NewSourcePort (0: unchanged); the UDP checksum is recomputed over the new
 * pseudo-header and the IPv4 checksum when the header is serialized. Each rewrite is reported
 * by the "Rewritten" trace.
 *
 * A rewrite to a victim's address is the §9.3.1 attack: the server sees its peer "migrate"
 * to the victim and may send to it only 3x what it received from it (AMP-05).
 *
 * **Leaves out.** IPv6, fragments (forwarded unchanged), rewriting of destinations.
 */
class QuicOnPathRewriter : public QuicRoutingWrapper
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicOnPathRewriter();
    ~QuicOnPathRewriter() override;

    /**
     * \brief Wrap the router's routing protocol (the node needs an Ipv4 with one).
     * \param router the router node
     * \return false (nothing changed) if the node has no IPv4 routing or this is attached
     */
    bool Attach(Ptr<Node> router);

    /// \return datagrams rewritten so far
    uint64_t GetRewrittenCount() const;

    /**
     * \brief Assign fixed random variable stream numbers.
     * \param stream first stream number
     * \return number of streams assigned (1)
     */
    int64_t AssignStreams(int64_t stream);

    /// Trace signature of Rewritten: (old source, new source, IPv4 packet as forwarded).
    typedef void (*RewrittenTracedCallback)(const Address& from,
                                            const Address& to,
                                            Ptr<const Packet> packet);

    // Ipv4RoutingProtocol: RouteInput rewrites, the rest is QuicRoutingWrapper's delegation.
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

  protected:
    void DoDispose() override;
    void PrintState(std::ostream& os) const override;

  private:
    void Forward(UnicastForwardCallback ucb,
                 Ptr<Ipv4Route> route,
                 Ptr<const Packet> p,
                 const Ipv4Header& header);

    Ipv4Address m_newSource;          //!< new source address (0.0.0.0: keep)
    uint16_t m_newSourcePort;         //!< new source port (0: keep)
    Ipv4Address m_matchSource;        //!< only this source (0.0.0.0: any)
    uint16_t m_matchDestinationPort;  //!< only this destination port (0: any)
    Time m_start;                     //!< active from
    Time m_stop;                      //!< active until (0: forever)
    uint64_t m_maxPackets;            //!< rewrites at most (0: unbounded)
    double m_probability;             //!< rewrite probability of a matching datagram
    uint64_t m_rewritten{0};          //!< rewrites done
    Ptr<UniformRandomVariable> m_rng; //!< selection
    TracedCallback<const Address&, const Address&, Ptr<const Packet>> m_rewrittenTrace;
};

/**
 * \ingroup quic-migration
 * \brief Copy-race attacker (RFC 9000 §9.3.3, §21.1.3.3): an Application on an attacker node
 * with a faster path to the server. It watches a link (Sniff(): the MacTx/MacRx traces of a
 * device there, a passive tap), copies every datagram toward the server port, and sends the
 * copy from its own address (or SpoofedSource) over its own, faster path, so that the copy
 * reaches the server first and the genuine packet is discarded as a duplicate.
 *
 * With Relay, it also forwards what the server sends to the copies' source back to the
 * client (from the server address the client uses, to the captured client address and port,
 * whatever source address the server answered from): the attacker
 * becomes a forwarding "limited on-path" attacker and the path through it validates. Without
 * Relay, the server's packets to the attacker's address go nowhere and the validation of that
 * path fails (SEC-01). Active between the application's start and stop and for at most
 * MaxCopies copies. Traces: "Copied" (each copy as sent), "Relayed" (each datagram relayed).
 *
 * **Leaves out.** IPv6; the client side (copies of the server's packets toward the client).
 */
class QuicCopyRaceForwarder : public Application
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicCopyRaceForwarder();
    ~QuicCopyRaceForwarder() override;

    /**
     * \brief Watch a device (traces MacTx and MacRx) for datagrams to copy.
     * \param device the device (usually on the client's link)
     * \return false if it has neither trace
     */
    bool Sniff(Ptr<NetDevice> device);

    /// \return copies sent
    uint64_t GetCopiedCount() const;
    /// \return datagrams relayed back to the client
    uint64_t GetRelayedCount() const;
    /// \return the source address the copies carry (valid once started)
    Ipv4Address GetCopySource() const;

    /**
     * \brief Assign fixed random variable stream numbers.
     * \param stream first stream number
     * \return number of streams assigned (1)
     */
    int64_t AssignStreams(int64_t stream);

    /// Trace signature of Copied and Relayed: (IPv4 packet as sent).
    typedef void (*ForwardedTracedCallback)(Ptr<const Packet> packet);

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void OnSniffed(Ptr<const Packet> p);
    void OnRelayReceive(Ptr<Socket> socket);

    uint16_t m_serverPort;       //!< copy datagrams to this port
    Ipv4Address m_spoofedSource; //!< copy source (0.0.0.0: own address toward the server)
    bool m_relay;                //!< relay the server's answers to the client
    uint64_t m_maxCopies;        //!< copies at most (0: unbounded)
    double m_probability;        //!< copy probability of a matching datagram
    bool m_running{false};       //!< between start and stop
    Ipv4Address m_copySource;    //!< resolved copy source
    uint64_t m_copied{0};        //!< copies sent
    uint64_t m_relayed{0};       //!< datagrams relayed

    /// A client seen: its port and address, and the server address it talks to.
    struct Client
    {
        uint16_t port;      //!< client port
        Ipv4Address client; //!< client address (relay destination)
        Ipv4Address server; //!< server address the client uses (relay source)
    };

    std::vector<Client> m_clients;                    //!< clients seen (bounded)
    QuicSpoofingSender m_sender;                      //!< raw sending
    Ptr<Socket> m_relaySocket;                        //!< raw socket receiving the server's answers
    Ptr<UniformRandomVariable> m_rng;                 //!< selection
    TracedCallback<Ptr<const Packet>> m_copiedTrace;  //!< Copied
    TracedCallback<Ptr<const Packet>> m_relayedTrace; //!< Relayed
};

} // namespace ns3

#endif /* QUIC_ATTACKER_H */
