/*
 * SPDX-License-Identifier: GPL-2.0-only
 */

// Seed-corpus generator for the fuzz targets: runs a short simulated transfer (the world of
// fuzz-world.h), captures every UDP payload on the link in both directions, decrypts their
// packets with the Initial keys and the key log's secrets, and writes
//   OUT/fuzz-header/                 every datagram as captured
//   OUT/fuzz-live/                   client datagrams (mode 0) and client 1-RTT payloads
//                                    (mode 1, resealed by the target), see fuzz-live.cc
//   OUT/fuzz-frames/                 every decrypted payload, prefixed by its packet type
//   OUT/fuzz-transport-parameters/   the transport parameters of both sides, encoded
// Files are named by index; duplicates (same bytes) are written once.
//
// Usage: fuzz-corpus-gen OUT_DIR

#include "fuzz-world.h"

#include "ns3/quic-buffer.h"
#include "ns3/quic-packet-header.h"

#include <fstream>
#include <iostream>
#include <set>
#include <sys/stat.h>

using namespace ns3;

namespace
{

struct Capture
{
    std::vector<uint8_t> bytes;
    bool fromClient;
};

std::vector<Capture> g_captured;

void
OnMacRx(bool atServer, Ptr<const Packet> p)
{
    Ptr<Packet> c = p->Copy();
    PppHeader ppp; // MacRx sees the frame with its PPP header
    Ipv4Header ip;
    UdpHeader udp;
    if (c->RemoveHeader(ppp) == 0 || c->RemoveHeader(ip) == 0 ||
        ip.GetProtocol() != UdpL4Protocol::PROT_NUMBER || c->RemoveHeader(udp) == 0)
    {
        return;
    }
    Capture cap;
    cap.bytes.resize(c->GetSize());
    c->CopyData(cap.bytes.data(), cap.bytes.size());
    cap.fromClient = atServer;
    g_captured.push_back(std::move(cap));
}

class Writer
{
  public:
    Writer(const std::string& dir, const std::string& target)
        : m_dir(dir + "/" + target)
    {
        ::mkdir(m_dir.c_str(), 0755);
    }

    void Write(const std::vector<uint8_t>& bytes)
    {
        if (!m_seen.insert(bytes).second)
        {
            return;
        }
        std::ofstream out(m_dir + "/seed-" + std::to_string(m_seen.size()), std::ios::binary);
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
    }

    size_t Count() const
    {
        return m_seen.size();
    }

  private:
    std::string m_dir;
    std::set<std::vector<uint8_t>> m_seen;
};

} // namespace

int
main(int argc, char* argv[])
{
    if (argc != 2)
    {
        std::cerr << "usage: fuzz-corpus-gen OUT_DIR\n";
        return 2;
    }
    std::string out = argv[1];
    ::mkdir(out.c_str(), 0755);
    quicfuzz::World w;
    auto hook = []() {
        Config::ConnectWithoutContext("/NodeList/0/DeviceList/*/$ns3::PointToPointNetDevice/MacRx",
                                      MakeBoundCallback(&OnMacRx, false));
        Config::ConnectWithoutContext("/NodeList/1/DeviceList/*/$ns3::PointToPointNetDevice/MacRx",
                                      MakeBoundCallback(&OnMacRx, true));
    };
    if (!w.Build(60000, Seconds(2), out + "/keylog.txt", hook))
    {
        std::cerr << "fuzz-corpus-gen: the transfer did not establish a connection\n";
        return 1;
    }
    // Keys of every epoch, per direction (RFC 9001 §5).
    auto secrets = quicfuzz::ReadKeyLog(w.keyLog);
    QuicPacketKeys initialClient;
    QuicPacketKeys initialServer;
    QuicDeriveInitialKeys(w.client->GetOriginalDestinationCid(), initialClient, initialServer);
    auto keysOf = [&](const std::string& label, QuicPacketKeys& k) {
        auto it = secrets.find(label);
        return it != secrets.end() && QuicDerivePacketKeys(it->second, k);
    };
    QuicPacketKeys hsClient;
    QuicPacketKeys hsServer;
    QuicPacketKeys apClient;
    QuicPacketKeys apServer;
    bool ok = keysOf("CLIENT_HANDSHAKE_TRAFFIC_SECRET", hsClient) &&
              keysOf("SERVER_HANDSHAKE_TRAFFIC_SECRET", hsServer) &&
              keysOf("CLIENT_TRAFFIC_SECRET_0", apClient) &&
              keysOf("SERVER_TRAFFIC_SECRET_0", apServer);
    if (!ok)
    {
        std::cerr << "fuzz-corpus-gen: secrets missing from the key log\n";
        return 1;
    }
    Writer header(out, "fuzz-header");
    Writer live(out, "fuzz-live");
    Writer frames(out, "fuzz-frames");
    Writer tp(out, "fuzz-transport-parameters");
    // Largest packet number seen per direction and space, for packet-number recovery.
    std::map<std::pair<bool, int>, uint64_t> largest;
    for (const Capture& c : g_captured)
    {
        header.Write(c.bytes);
        if (c.fromClient)
        {
            std::vector<uint8_t> l{0};
            l.insert(l.end(), c.bytes.begin(), c.bytes.end());
            live.Write(l);
        }
        std::vector<uint8_t> buf = c.bytes;
        size_t offset = 0;
        while (offset < buf.size())
        {
            QuicPacketHeader h;
            if (QuicParseHeader(buf.data() + offset,
                                buf.size() - offset,
                                w.clientEp->GetCidLength(),
                                h) != QuicHeaderStatus::OK ||
                h.m_packetLength == 0 || h.m_packetLength > buf.size() - offset)
            {
                break;
            }
            const QuicPacketKeys* k = nullptr;
            int space = 0;
            switch (h.m_type)
            {
            case QuicPacketType::INITIAL:
                k = c.fromClient ? &initialClient : &initialServer;
                break;
            case QuicPacketType::HANDSHAKE:
                k = c.fromClient ? &hsClient : &hsServer;
                space = 1;
                break;
            case QuicPacketType::ONE_RTT:
                k = c.fromClient ? &apClient : &apServer;
                space = 2;
                break;
            default:
                break;
            }
            if (k != nullptr)
            {
                QuicPacketProtector opener(*k);
                auto key = std::make_pair(c.fromClient, space);
                std::optional<uint64_t> lr;
                if (largest.count(key))
                {
                    lr = largest[key];
                }
                uint64_t pn = 0;
                const uint8_t* payload = nullptr;
                size_t length = 0;
                if (QuicUnprotectPacket(buf.data() + offset, h, opener, lr, pn, payload, length) ==
                    QuicUnprotectStatus::OK)
                {
                    largest[key] = std::max(pn, lr.value_or(0));
                    std::vector<uint8_t> f{static_cast<uint8_t>(h.m_type)};
                    f.insert(f.end(), payload, payload + length);
                    frames.Write(f);
                    if (c.fromClient && h.m_type == QuicPacketType::ONE_RTT)
                    {
                        f[0] = 1;
                        live.Write(f);
                        f[0] = 3; // the same frames from a foreign address
                        live.Write(f);
                    }
                }
            }
            offset += h.m_packetLength;
        }
    }
    for (const auto& conn : {w.client, w.server})
    {
        std::vector<uint8_t> b;
        QuicBufferWriter bw(b);
        conn->GetPeerTransportParameters().Encode(bw);
        tp.Write(b);
    }
    std::cout << "fuzz-corpus-gen: " << g_captured.size()
              << " datagrams captured; seeds: " << header.Count() << " fuzz-header, "
              << live.Count() << " fuzz-live, " << frames.Count() << " fuzz-frames, " << tp.Count()
              << " fuzz-transport-parameters\n";
    w.Tear();
    return 0;
}
