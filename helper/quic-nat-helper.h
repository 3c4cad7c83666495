/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_NAT_HELPER_H
#define QUIC_NAT_HELPER_H

#include "ns3/attribute.h"
#include "ns3/ipv4-address.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/quic-nat.h"

#include <cstdint>
#include <string>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Puts a QuicNat on a router node.
 *
 * A thin helper: an ObjectFactory for the attributes, Install() creating the NAT and calling
 * QuicNat::Attach(), AssignStreams() fixing the random streams of installed NATs. All the
 * behaviour (translation, bindings, timeouts, rebinding) is in QuicNat.
 *
 * \code
 *   QuicNatHelper natHelper;
 *   natHelper.SetAttribute("BindingTimeout", TimeValue(Seconds(30)));
 *   natHelper.SetAttribute("RebindStart", TimeValue(Seconds(5)));
 *   Ptr<QuicNat> nat = natHelper.Install(router, insideIf, outsideIf, externalAddress);
 *   natHelper.AssignStreams(NodeContainer(router), 100);
 * \endcode
 */
class QuicNatHelper
{
  public:
    QuicNatHelper();

    /**
     * \brief Set an attribute of the NATs created by Install().
     * \param name attribute name (see QuicNat::GetTypeId)
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Create a NAT and attach it to a router (QuicNat::Attach()).
     * \param router the router node (IPv4 stack installed, addresses assigned)
     * \param insideInterface IPv4 interface index towards the hosts behind the NAT
     * \param outsideInterface IPv4 interface index towards the Internet
     * \param externalAddress the external address
     * \return the NAT
     */
    Ptr<QuicNat> Install(Ptr<Node> router,
                         uint32_t insideInterface,
                         uint32_t outsideInterface,
                         Ipv4Address externalAddress) const;

    /**
     * \brief As Install(Ptr<Node>, uint32_t, uint32_t, Ipv4Address) for an address of any
     * family: an IPv6 address is refused with an explicit error (the NAT is IPv4 only).
     * \param router the router node
     * \param insideInterface inside interface index
     * \param outsideInterface outside interface index
     * \param externalAddress the external address (must be IPv4)
     * \return the NAT
     */
    Ptr<QuicNat> Install(Ptr<Node> router,
                         uint32_t insideInterface,
                         uint32_t outsideInterface,
                         const Address& externalAddress) const;

    /**
     * \brief As the other Install() with the first address of the outside interface as the
     * external address.
     * \param router the router node
     * \param insideInterface inside interface index
     * \param outsideInterface outside interface index (must have an IPv4 address)
     * \return the NAT
     */
    Ptr<QuicNat> Install(Ptr<Node> router,
                         uint32_t insideInterface,
                         uint32_t outsideInterface) const;

    /**
     * \brief Fix the random streams of the NATs installed on these nodes.
     * \param nodes nodes; those without a QuicNat are skipped
     * \param stream first stream index
     * \return the number of streams used
     */
    int64_t AssignStreams(NodeContainer nodes, int64_t stream) const;

  private:
    ObjectFactory m_factory; //!< creates the NATs
};

} // namespace ns3

#endif /* QUIC_NAT_HELPER_H */
