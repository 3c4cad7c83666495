/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_NAT_H
#define QUIC_NAT_H

#include "quic-routing-wrapper.h"

#include "ns3/event-id.h"
#include "ns3/inet-socket-address.h"
#include "ns3/ipv4-address.h"
#include "ns3/ipv4-header.h"
#include "ns3/ipv4-routing-protocol.h"
#include "ns3/nstime.h"
#include "ns3/ptr.h"
#include "ns3/traced-callback.h"

#include <array>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ns3
{

class Address;
class Ipv4;
class Node;
class UniformRandomVariable;

/**
 * \ingroup quic-migration
 * \brief One NAT binding (RFC 4787 §3 "mapping"): an internal UDP endpoint and the external
 * endpoint the NAT gave it. A copy, handed to trace sinks and returned by accessors.
 */
struct QuicNatBinding
{
    Ipv4Address internalAddress; //!< address of the host behind the NAT
    uint16_t internalPort{0};    //!< its UDP port
    Ipv4Address externalAddress; //!< address the outside sees
    uint16_t externalPort{0};    //!< port the outside sees
    Time created;                //!< when the binding was created
    Time lastUsed;               //!< last packet that refreshed it (the idle timer starts here)
    uint64_t packetsOut{0};      //!< datagrams translated inside -> outside
    uint64_t packetsIn{0};       //!< datagrams translated outside -> inside
};

/**
 * \ingroup quic-migration
 * \brief A UDP network address and port translator (NAPT) on a router node, IPv4 only.
 *
 * **What it models.** The home or carrier NAT between a QUIC client and the Internet: the box
 * whose bindings expire when a connection sits idle and that may hand a flow a new external
 * port or address at any time (a *NAT rebinding*, RFC 9000 §9, §9.3; rows NAT-01..NAT-05 of the
 * requirements table). A QUIC server behind such a NAT sees its peer's address change without
 * the client having done anything; this object produces exactly that, on real packets, at a
 * scheduled time or on command.
 *
 * **Mechanism.** QuicNat is an Ipv4RoutingProtocol that wraps the node's routing protocol:
 * Attach() takes the protocol the node had (usually an Ipv4ListRouting with static and global
 * routing), keeps it as the *wrapped* protocol and installs itself in its place. Every packet
 * the node receives passes through RouteInput():
 *  - a UDP datagram that arrives on the *inside* interface and that the wrapped protocol
 *    forwards out of the *outside* interface gets its source rewritten to the external address
 *    and the port of the binding of its internal (address, port), created or refreshed here;
 *  - a UDP datagram that arrives on the *outside* interface addressed to an external address
 *    and a port of the NAT's range (or of a live binding) gets its destination rewritten to
 *    the internal endpoint, then is routed by the wrapped protocol (normally out of the inside
 *    interface); if there is no live binding it is dropped and traced ("Drop", NO_BINDING),
 *    never delivered to the router's own sockets;
 *  - everything else is handed to the wrapped protocol unchanged.
 * Wrapping is needed rather than adding a protocol to an Ipv4ListRouting: the list delivers
 * packets for the router's own addresses before consulting its protocols, so replies to the
 * external address (normally an address of the outside interface) would never reach a NAT
 * registered in the list. A device-level hook would run before the IP checksum check and the
 * TTL handling; an ErrorModel would rewrite packets on a link rather than in a node, without
 * routing, TTL or a per-node binding table. The wrapped protocol stays reachable through
 * GetWrappedRoutingProtocol(), e.g. to add static routes after Attach(); global routing keeps
 * working because it reaches its Ipv4GlobalRouting through the node's GlobalRouter.
 *
 * The rewrite keeps the IP header consistent (the forwarding path decrements the TTL and
 * recomputes the IPv4 header checksum as for any forwarded packet) and updates the UDP
 * checksum incrementally (RFC 1624) for the changed address and port, as hardware NATs do. A
 * zero UDP checksum ("no checksum", RFC 768; what ns-3 sends when checksums are disabled)
 * stays zero. With Node::ChecksumEnabled the translated datagram carries a correct checksum
 * over the new pseudo-header.
 *
 * **RFC 4787 behaviour.**
 *  - REQ-1: endpoint-independent mapping. One binding per internal (address, port), whatever
 *    the destination: two servers see the same external endpoint.
 *  - REQ-2: paired address pooling. Every binding uses the current external address.
 *  - REQ-3: no port overloading: an external port belongs to one binding at a time. Ports
 *    come from [MinPort, MaxPort], at random (default) or sequentially (PortAllocation).
 *  - REQ-4: port parity preservation on request (PreservePortParity, default off).
 *  - REQ-5: idle timeout BindingTimeout, default 120 s, the smallest value REQ-5 allows
 *    (REQ-5c recommends 5 min). Deployed NATs often use about 30 s, which is why RFC 9000
 *    §10.1.2 suggests keep-alives at that rate (NAT-05): set BindingTimeout to 30 s to model
 *    them. 0 s disables the idle timeout.
 *  - REQ-6: outbound packets refresh a binding; inbound ones too unless InboundRefresh is false.
 *  - REQ-8: filtering is endpoint-independent by default (any host may send to a live
 *    binding); address-dependent and address-and-port-dependent filtering are available
 *    (Filtering), drops being traced as FILTERED.
 *  - REQ-10: no application level gateway. REQ-11: deterministic: every random draw comes from
 *    one ns-3 random variable stream (AssignStreams()).
 *
 * **Expiry and scale.** Bindings sit in a hash map keyed by internal endpoint, another keyed
 * by external endpoint, and a list in order of last use (refresh moves a binding to the back
 * in O(1)). There is no timer per binding: an expired binding is removed when a lookup finds
 * it (lazy expiry), and every translated packet also removes at most a few expired bindings
 * from the front of the list (bounded cleanup), so the table never holds more than a bounded
 * amount of dead state; a full table is swept completely before a new flow is refused.
 * GetBindingCount(), GetBindings() and ExpireIdleBindings() purge first. BindingExpired fires
 * when a binding is removed; the binding it carries tells when it went idle (lastUsed). The
 * table holds at most MaxBindings bindings; new flows beyond are dropped and traced
 * (TABLE_FULL). Tens of thousands of bindings cost a few MB and O(1) work per packet.
 *
 * **Rebinding.** Rebind() gives every binding a new external port, Rebind(address, port) one
 * binding, RebindAddress() moves all bindings (and future ones) to another external address
 * with new ports (the address must be routed to this node, e.g. a second address of the
 * outside interface). The old external endpoint stops working at once: inbound datagrams to it
 * are dropped and traced (NO_BINDING), which is what makes a QUIC server see the peer address
 * change (NAT-01) rather than two live paths. Rebinding can be scheduled: RebindStart (first
 * rebinding, absolute simulation time, 0 = never), RebindInterval (period, 0 = once) and
 * RebindMode (new port only, or next external address of the pool with new ports). A periodic
 * rebinding keeps events in the queue: stop the simulation with Simulator::Stop.
 *
 * **What it leaves out.** IPv6 (Attach() refuses an IPv6 external address and a node without
 * IPv4 with a clear error; IPv6 packets never reach this object); hairpinning (RFC 4787 REQ-9,
 * a MUST: a datagram from the inside to the external address is handled by the router as
 * addressed to itself); TCP and ICMP translation (non-UDP packets cross the router untouched,
 * keeping the internal source address, unless DropNonUdp is set; ICMP errors about translated
 * datagrams are not translated back); fragments (a NAT cannot translate UDP fragments without
 * reassembly; fragmented UDP datagrams are dropped and traced as FRAGMENT; QUIC never sends
 * them, RFC 9000 §14); address pools shared by several internal addresses with
 * per-host address choice; port quarantine (a freed port may be reallocated at once); several
 * inside or outside interfaces (one of each; traffic between other interfaces is routed
 * untranslated). One QuicNat per node (it is aggregated to the node, so
 * "/NodeList/N/$ns3::QuicNat/..." config paths reach it). The router's own UDP sockets on
 * the external address must not use ports of the NAT range.
 */
class QuicNat : public QuicRoutingWrapper
{
  public:
    /// How external ports are chosen (RFC 4787 §4.2).
    enum PortAllocation
    {
        RANDOM,     //!< uniform draw in [MinPort, MaxPort] from the NAT's random stream
        SEQUENTIAL, //!< next free port after the last one handed out, wrapping around
    };

    /// What a scheduled rebinding changes.
    enum RebindMode
    {
        REBIND_PORT,    //!< every binding gets a new external port, same external address
        REBIND_ADDRESS, //!< switch to the next external address of the pool, new ports
    };

    /// Which external endpoints may send to a binding (RFC 4787 §5).
    enum Filtering
    {
        ENDPOINT_INDEPENDENT,       //!< any external endpoint
        ADDRESS_DEPENDENT,          //!< addresses the internal endpoint has sent to
        ADDRESS_AND_PORT_DEPENDENT, //!< (address, port) pairs the internal endpoint sent to
    };

    /// Direction of a translated datagram.
    enum Direction
    {
        OUTBOUND, //!< inside -> outside: source rewritten
        INBOUND,  //!< outside -> inside: destination rewritten
    };

    /// Why the NAT dropped a datagram.
    enum DropReason
    {
        NO_BINDING,      //!< inbound to an unknown, expired or rebound external endpoint
        TABLE_FULL,      //!< new flow while MaxBindings bindings are live
        PORTS_EXHAUSTED, //!< new flow but no free port in [MinPort, MaxPort]
        FILTERED,        //!< inbound from an endpoint the filtering behaviour refuses
        NOT_UDP,         //!< non-UDP packet crossing the NAT while DropNonUdp is set
        FRAGMENT,        //!< fragmented UDP datagram (no reassembly in the NAT)
        MALFORMED,       //!< UDP datagram shorter than its header or with a wrong length
    };

    /// Number of DropReason values.
    static constexpr uint32_t DROP_REASON_COUNT = 7;

    /**
     * \param reason a drop reason
     * \return its name, e.g. "NO_BINDING"
     */
    static std::string DropReasonName(DropReason reason);

    /**
     * \brief Get the type ID.
     * \return the object TypeId
     */
    static TypeId GetTypeId();

    QuicNat();
    ~QuicNat() override;

    /**
     * \brief Check the arguments of Attach() without attaching.
     * \param router the router node
     * \param insideInterface IPv4 interface index towards the hosts behind the NAT
     * \param outsideInterface IPv4 interface index towards the Internet
     * \param externalAddress the external address (must be an IPv4 address)
     * \return an empty string if Attach() would accept them, else why not
     */
    static std::string CheckAttach(Ptr<Node> router,
                                   uint32_t insideInterface,
                                   uint32_t outsideInterface,
                                   const Address& externalAddress);

    /**
     * \brief Put the NAT on a router: wrap its routing protocol and aggregate to it.
     *
     * Reads the attributes: changes of RebindStart/RebindInterval after this call have no
     * effect. Aborts with the message of CheckAttach() on invalid arguments (IPv6, unknown or
     * equal interfaces, no IPv4 stack, already attached).
     *
     * \param router the router node (IPv4 stack installed, forwarding enabled)
     * \param insideInterface IPv4 interface index towards the hosts behind the NAT
     * \param outsideInterface IPv4 interface index towards the Internet
     * \param externalAddress the address translated datagrams leave with; usually an address
     * of the outside interface, in any case routed to this node by the outside network
     */
    void Attach(Ptr<Node> router,
                uint32_t insideInterface,
                uint32_t outsideInterface,
                Ipv4Address externalAddress);

    /// \return true once Attach() succeeded, until the NAT is disposed
    bool IsAttached() const;

    /// \return the inside interface index
    uint32_t GetInsideInterface() const;

    /// \return the outside interface index
    uint32_t GetOutsideInterface() const;

    /// \return the external address new bindings use
    Ipv4Address GetExternalAddress() const;

    /**
     * \brief Add an address to the external pool (the next one RebindMode=REBIND_ADDRESS uses).
     *
     * The NAT only translates to it; the outside network must route it to this node (on a
     * point-to-point or CSMA link: add it to the outside interface with Ipv4::AddAddress).
     * \param address an IPv4 address; adding one already in the pool does nothing
     */
    void AddExternalAddress(Ipv4Address address);

    /// \return the external address pool, in the order addresses were added
    std::vector<Ipv4Address> GetExternalAddresses() const;

    /**
     * \brief Number of live bindings; expired ones are removed first (BindingExpired fires).
     * \return the number of live bindings
     */
    uint32_t GetBindingCount();

    /**
     * \brief Live bindings, least recently used first; expired ones are removed first.
     * \return copies of the bindings
     */
    std::vector<QuicNatBinding> GetBindings();

    /**
     * \brief The external endpoint of an internal one.
     * \param internalAddress address of a host behind the NAT
     * \param internalPort its UDP port
     * \return the external endpoint, or nothing if there is no live binding
     */
    std::optional<InetSocketAddress> GetExternalEndpoint(Ipv4Address internalAddress,
                                                         uint16_t internalPort);

    /**
     * \brief The internal endpoint behind an external one.
     * \param externalAddress an external address of the NAT
     * \param externalPort a port
     * \return the internal endpoint, or nothing if there is no live binding
     */
    std::optional<InetSocketAddress> GetInternalEndpoint(Ipv4Address externalAddress,
                                                         uint16_t externalPort);

    /**
     * \brief Remove every expired binding now.
     * \return how many were removed
     */
    uint32_t ExpireIdleBindings();

    /**
     * \brief Give every live binding a new external port (same external address).
     *
     * The old external endpoints stop working at once. Fires Rebind once per binding.
     * \return how many bindings were rebound (a binding with no free port keeps its old one)
     */
    uint32_t Rebind();

    /**
     * \brief Give one binding a new external port.
     * \param internalAddress address of the host behind the NAT
     * \param internalPort its UDP port
     * \return false if there is no live binding for it or no free port
     */
    bool Rebind(Ipv4Address internalAddress, uint16_t internalPort);

    /**
     * \brief Switch the external address: every binding, and every later one, moves to
     * newExternalAddress with a new port. The address joins the pool if it is not in it.
     * \param newExternalAddress the new external address (routed to this node)
     * \return how many bindings were rebound
     */
    uint32_t RebindAddress(Ipv4Address newExternalAddress);

    /**
     * \param reason a drop reason
     * \return how many datagrams were dropped for it
     */
    uint64_t GetDropCount(DropReason reason) const;

    /**
     * \param direction a direction
     * \return how many datagrams were translated in it
     */
    uint64_t GetTranslatedCount(Direction direction) const;

    /**
     * \brief Use a fixed random variable stream for port draws.
     * \param stream first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    // Ipv4RoutingProtocol: RouteInput translates, the rest is QuicRoutingWrapper's delegation.
    bool RouteInput(Ptr<const Packet> p,
                    const Ipv4Header& header,
                    Ptr<const NetDevice> idev,
                    UnicastForwardCallback ucb,
                    MulticastForwardCallback mcb,
                    LocalDeliverCallback lcb,
                    ErrorCallback ecb) override;

    /**
     * TracedCallback signature for BindingCreated and BindingExpired.
     * \param [in] binding the binding (for an expired one, lastUsed + BindingTimeout is when
     * it expired)
     */
    typedef void (*BindingTracedCallback)(const QuicNatBinding& binding);

    /**
     * TracedCallback signature for Rebind.
     * \param [in] internal the internal endpoint
     * \param [in] oldExternal the external endpoint it had
     * \param [in] newExternal the external endpoint it has now
     */
    typedef void (*RebindTracedCallback)(const InetSocketAddress& internal,
                                         const InetSocketAddress& oldExternal,
                                         const InetSocketAddress& newExternal);

    /**
     * TracedCallback signature for Drop.
     * \param [in] reason why
     * \param [in] packet the datagram, starting with its UDP (or other transport) header
     * \param [in] header its IPv4 header as received
     */
    typedef void (*DropTracedCallback)(QuicNat::DropReason reason,
                                       Ptr<const Packet> packet,
                                       const Ipv4Header& header);

    /**
     * TracedCallback signature for Translated.
     * \param [in] direction OUTBOUND (source rewritten) or INBOUND (destination rewritten)
     * \param [in] remote the external peer (destination of an outbound datagram, source of
     * an inbound one)
     * \param [in] before the rewritten endpoint before translation
     * \param [in] after the rewritten endpoint after translation
     */
    typedef void (*TranslatedTracedCallback)(QuicNat::Direction direction,
                                             const InetSocketAddress& remote,
                                             const InetSocketAddress& before,
                                             const InetSocketAddress& after);

  protected:
    void DoDispose() override;
    void PrintState(std::ostream& os) const override;

  private:
    /// A binding in the table.
    struct Entry
    {
        QuicNatBinding binding;                //!< the public view
        std::list<uint64_t>::iterator lruSlot; //!< position in m_lru
        std::vector<uint64_t> remotes;         //!< contacted peers (filtering only), FIFO
    };

    /// Table keyed by internal endpoint.
    using Table = std::unordered_map<uint64_t, Entry>;

    /**
     * \param address an address
     * \param port a port
     * \return the 48-bit key of the endpoint
     */
    static uint64_t Key(Ipv4Address address, uint16_t port);

    /**
     * \param e a binding
     * \return true if its idle time has reached BindingTimeout
     */
    bool IsExpired(const Entry& e) const;

    /**
     * \brief Mark a binding used now.
     * \param e the binding
     */
    void Touch(Entry& e);

    /**
     * \brief Remove a binding from every index.
     * \param it the binding
     * \param expired fire BindingExpired
     */
    void Remove(Table::iterator it, bool expired);

    /**
     * \brief Remove expired bindings from the least recently used end.
     * \param max at most this many
     * \return how many were removed
     */
    uint32_t Sweep(uint32_t max);

    /**
     * \param internalKey key of an internal endpoint
     * \return its live binding, or end(); an expired one is removed
     */
    Table::iterator FindLive(uint64_t internalKey);

    /**
     * \brief Find a free external port.
     * \param address the external address
     * \param internalPort the internal port (for parity preservation)
     * \param [out] port the port found
     * \return false if every port of the range is taken
     */
    bool AllocatePort(Ipv4Address address, uint16_t internalPort, uint16_t& port);

    /**
     * \param candidate a port of the range
     * \param internalPort the internal port
     * \return candidate, adjusted to the parity of internalPort if PreservePortParity is set
     * and the adjusted port is in range
     */
    uint16_t AdjustParity(uint32_t candidate, uint16_t internalPort) const;

    /**
     * \brief Move a binding to a new external endpoint on address.
     * \param e the binding
     * \param address the external address
     * \return false if no port was free (the binding is unchanged)
     */
    bool MoveBinding(Entry& e, Ipv4Address address);

    /**
     * \brief Handle a UDP datagram arriving on the outside interface for an external address.
     * \param p the datagram (UDP header first)
     * \param header its IPv4 header
     * \param idev the input device
     * \param ucb unicast forward callback
     * \param mcb multicast forward callback
     * \param lcb local delivery callback
     * \param ecb error callback
     * \return the value RouteInput returns
     */
    bool TranslateInbound(Ptr<const Packet> p,
                          const Ipv4Header& header,
                          Ptr<const NetDevice> idev,
                          UnicastForwardCallback ucb,
                          MulticastForwardCallback mcb,
                          LocalDeliverCallback lcb,
                          ErrorCallback ecb);

    /**
     * \brief Forwarding callback given to the wrapped protocol for packets from the inside:
     * translates UDP datagrams leaving by the outside interface, then forwards.
     * \param ucb the node's unicast forward callback
     * \param route the route chosen by the wrapped protocol
     * \param p the packet
     * \param header its IPv4 header
     */
    void ForwardOutbound(UnicastForwardCallback ucb,
                         Ptr<Ipv4Route> route,
                         Ptr<const Packet> p,
                         const Ipv4Header& header);

    /**
     * \brief Copy a datagram with one endpoint (source or destination) rewritten.
     * \param p the datagram (UDP header first)
     * \param oldAddress the address replaced (pseudo-header)
     * \param newAddress its replacement
     * \param rewriteSource rewrite the source port (true) or the destination port (false)
     * \param newPort the new port
     * \return the rewritten datagram
     */
    static Ptr<Packet> RewriteUdp(Ptr<const Packet> p,
                                  Ipv4Address oldAddress,
                                  Ipv4Address newAddress,
                                  bool rewriteSource,
                                  uint16_t newPort);

    /**
     * \brief Read the ports of a UDP datagram and check its length field.
     * \param p the datagram (UDP header first)
     * \param [out] sourcePort its source port
     * \param [out] destinationPort its destination port
     * \return false if it is shorter than a UDP header or its length field is not its size
     */
    static bool PeekPorts(Ptr<const Packet> p, uint16_t& sourcePort, uint16_t& destinationPort);

    /**
     * \brief Count and trace a drop.
     * \param reason why
     * \param p the datagram
     * \param header its IPv4 header
     */
    void Drop(DropReason reason, Ptr<const Packet> p, const Ipv4Header& header);

    /// \param address an address \return true if it is in the external pool
    bool IsExternalAddress(Ipv4Address address) const;

    /// Scheduled rebinding (RebindStart, RebindInterval, RebindMode).
    void ScheduledRebind();

    // Attributes
    Time m_bindingTimeout;            //!< idle timeout (0 = none)
    uint32_t m_maxBindings;           //!< table bound
    uint16_t m_minPort;               //!< lowest external port
    uint16_t m_maxPort;               //!< highest external port
    PortAllocation m_portAllocation;  //!< random or sequential
    bool m_preservePortParity;        //!< RFC 4787 REQ-4
    bool m_inboundRefresh;            //!< inbound packets refresh bindings
    Filtering m_filtering;            //!< RFC 4787 §5 filtering behaviour
    bool m_dropNonUdp;                //!< drop non-UDP packets crossing the NAT
    Time m_rebindStart;               //!< first scheduled rebinding (0 = never)
    Time m_rebindInterval;            //!< period of scheduled rebinding (0 = once)
    RebindMode m_rebindMode;          //!< what a scheduled rebinding changes
    Ptr<UniformRandomVariable> m_rng; //!< port draws

    // Placement
    Ptr<Node> m_node;                     //!< the router
    uint32_t m_inside;                    //!< inside interface
    uint32_t m_outside;                   //!< outside interface
    Ipv4Address m_externalAddress;        //!< external address of new bindings
    std::vector<Ipv4Address> m_addresses; //!< external pool (every address ever used)
    bool m_attached;                      //!< Attach() done, not disposed
    EventId m_rebindEvent;                //!< next periodic rebinding

    // State
    Table m_byInternal;                              //!< bindings by internal endpoint
    std::unordered_map<uint64_t, uint64_t> m_byExt;  //!< external key -> internal key
    std::list<uint64_t> m_lru;                       //!< internal keys, least recent first
    uint32_t m_nextPort;                             //!< sequential allocation cursor
    std::array<uint64_t, DROP_REASON_COUNT> m_drops; //!< drops per reason
    std::array<uint64_t, 2> m_translated;            //!< translations per direction

    // Traces
    TracedCallback<const QuicNatBinding&> m_bindingCreatedTrace; //!< BindingCreated
    TracedCallback<const QuicNatBinding&> m_bindingExpiredTrace; //!< BindingExpired
    TracedCallback<const InetSocketAddress&, const InetSocketAddress&, const InetSocketAddress&>
        m_rebindTrace;                                                            //!< Rebind
    TracedCallback<DropReason, Ptr<const Packet>, const Ipv4Header&> m_dropTrace; //!< Drop
    TracedCallback<Direction,
                   const InetSocketAddress&,
                   const InetSocketAddress&,
                   const InetSocketAddress&>
        m_translatedTrace; //!< Translated
};

} // namespace ns3

#endif /* QUIC_NAT_H */
