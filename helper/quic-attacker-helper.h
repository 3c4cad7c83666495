/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

#ifndef QUIC_ATTACKER_HELPER_H
#define QUIC_ATTACKER_HELPER_H

#include "ns3/application-container.h"
#include "ns3/attribute.h"
#include "ns3/ipv4-address.h"
#include "ns3/net-device.h"
#include "ns3/node-container.h"
#include "ns3/object-factory.h"
#include "ns3/quic-attacker.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup quic-migration
 * \brief Installs QuicOffPathInjector applications on attacker nodes.
 *
 * A thin helper: an ObjectFactory for the attributes, Install() creating the applications,
 * AssignStreams() fixing their random streams. The behaviour is in QuicOffPathInjector.
 * \code
 *   QuicOffPathInjectorHelper inj(serverAddress, 4433);
 *   inj.SetAttribute("Mode", StringValue("StatelessReset"));
 *   inj.SetAttribute("SpoofedSource", Ipv4AddressValue(clientAddress));
 *   ApplicationContainer apps = inj.Install(attacker);
 *   inj.AssignStreams(apps, 300);
 *   apps.Start(Seconds(2));
 * \endcode
 */
class QuicOffPathInjectorHelper
{
  public:
    /**
     * \param target destination address of the injected datagrams
     * \param port destination port
     */
    QuicOffPathInjectorHelper(Ipv4Address target, uint16_t port);

    /**
     * \brief Set an attribute of the injectors created by Install().
     * \param name attribute name (see QuicOffPathInjector::GetTypeId)
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param node the attacker node (IPv4 stack installed)
     * \return the installed application
     */
    ApplicationContainer Install(Ptr<Node> node) const;

    /**
     * \param nodes attacker nodes
     * \return one application per node
     */
    ApplicationContainer Install(NodeContainer nodes) const;

    /**
     * \brief Fix the random streams of installed injectors.
     * \param apps applications returned by Install()
     * \param stream first stream number
     * \return streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory; //!< QuicOffPathInjector factory
};

/**
 * \ingroup quic-migration
 * \brief Installs a QuicCopyRaceForwarder on an attacker node and taps a device.
 * \code
 *   QuicCopyRaceForwarderHelper fwd;
 *   fwd.SetAttribute("Relay", BooleanValue(true));
 *   ApplicationContainer apps = fwd.Install(attacker, clientDevice);
 *   fwd.AssignStreams(apps, 310);
 *   apps.Start(Seconds(2));
 *   apps.Stop(Seconds(4));
 * \endcode
 */
class QuicCopyRaceForwarderHelper
{
  public:
    QuicCopyRaceForwarderHelper();

    /**
     * \brief Set an attribute of the forwarders created by Install().
     * \param name attribute name (see QuicCopyRaceForwarder::GetTypeId)
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \param attacker the attacker node (IPv4 stack installed, a route to the server)
     * \param sniffDevice the device whose traffic is copied (QuicCopyRaceForwarder::Sniff)
     * \return the installed application
     */
    ApplicationContainer Install(Ptr<Node> attacker, Ptr<NetDevice> sniffDevice) const;

    /**
     * \brief Fix the random streams of installed forwarders.
     * \param apps applications returned by Install()
     * \param stream first stream number
     * \return streams used
     */
    static int64_t AssignStreams(ApplicationContainer apps, int64_t stream);

  private:
    ObjectFactory m_factory; //!< QuicCopyRaceForwarder factory
};

/**
 * \ingroup quic-migration
 * \brief Puts a QuicOnPathRewriter on router nodes (QuicOnPathRewriter::Attach()).
 * \code
 *   QuicOnPathRewriterHelper rw;
 *   rw.SetAttribute("NewSource", Ipv4AddressValue(victimAddress));
 *   rw.SetAttribute("Start", TimeValue(Seconds(2)));
 *   Ptr<QuicOnPathRewriter> r = rw.Install(router);
 *   rw.AssignStreams(NodeContainer(router), 320);
 * \endcode
 */
class QuicOnPathRewriterHelper
{
  public:
    QuicOnPathRewriterHelper();

    /**
     * \brief Set an attribute of the rewriters created by Install().
     * \param name attribute name (see QuicOnPathRewriter::GetTypeId)
     * \param value its value
     */
    void SetAttribute(const std::string& name, const AttributeValue& value);

    /**
     * \brief Create a rewriter and wrap the router's routing protocol. Aborts if the node has
     * no IPv4 routing protocol or already has a rewriter (programming errors).
     * \param router the router (IPv4 stack installed)
     * \return the rewriter
     */
    Ptr<QuicOnPathRewriter> Install(Ptr<Node> router) const;

    /**
     * \brief Fix the random streams of the rewriters on these nodes.
     * \param routers nodes with a rewriter installed by Install()
     * \param stream first stream number
     * \return streams used
     */
    static int64_t AssignStreams(NodeContainer routers, int64_t stream);

  private:
    ObjectFactory m_factory; //!< QuicOnPathRewriter factory
};

} // namespace ns3

#endif /* QUIC_ATTACKER_HELPER_H */
