package dev.portico.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where a tenant's site may send requests. A site with an {@code owner} is a tenant's site (the
 * admin API sets the owner of every site a {@code user} writes); its targets and its JWKS URL
 * must not lead the edge to the node itself or to what only the node's network should reach:
 * loopback, unspecified, link-local and reserved addresses, multicast and broadcast, cloud
 * metadata endpoints, and the node's own listener ports on any of its own addresses. Private
 * ranges (10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) are where backends live and stay
 * allowed unless {@code denyPrivate}. Sites without an owner are the operator's and are not
 * checked. The admin API checks what is written; the edge checks again the address it is about
 * to connect to, after DNS.
 *
 * @param nodePorts      the node's listener ports (edge, admin, ops, cluster)
 * @param nodeAddresses  the node's own interface addresses, normalised
 * @param denyPrivate    whether private ranges are refused too ({@code PORTICO_TENANT_DENY_PRIVATE})
 */
public record TargetAddressRules(Set<Integer> nodePorts, List<byte[]> nodeAddresses, boolean denyPrivate) {

  /** What an address is, for the rules and for log lines. */
  public enum AddressClass {
    PUBLIC("public"), PRIVATE("private"), LOOPBACK("loopback"), UNSPECIFIED("unspecified"),
    LINK_LOCAL("link-local"), CLOUD_METADATA("cloud metadata"), MULTICAST("multicast"), BROADCAST("broadcast"),
    RESERVED("reserved");

    private final String text;

    AddressClass(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** Metadata endpoints of cloud providers: AWS/GCP/Azure/OCI, AWS over IPv6, Alibaba, Azure's wireserver. */
  private static final List<byte[]> METADATA = List.of(IpAddresses.parse("169.254.169.254"),
      IpAddresses.parse("fd00:ec2::254"), IpAddresses.parse("100.100.100.200"), IpAddresses.parse("168.63.129.16"));
  private static final Cidr[] IPV4_PRIVATE = {Cidr.parse("10.0.0.0/8"), Cidr.parse("172.16.0.0/12"),
      Cidr.parse("192.168.0.0/16"), Cidr.parse("100.64.0.0/10")};
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final byte[] IPV4_BROADCAST = {-1, -1, -1, -1};

  public TargetAddressRules {
    nodePorts = Set.copyOf(nodePorts);
    nodeAddresses = List.copyOf(nodeAddresses);
  }

  /**
   * The rules for this node, from the verticle configuration's {@code nodePorts} and
   * {@code tenantDenyPrivate} (the launcher fills both), with the addresses of the node's
   * interfaces as they are now.
   */
  public static TargetAddressRules forThisNode(JsonObject config) {
    Set<Integer> ports = new TreeSet<>();
    JsonArray configured = config.getJsonArray("nodePorts", new JsonArray());
    for (int i = 0; i < configured.size(); i++) {
      ports.add(configured.getInteger(i));
    }
    return new TargetAddressRules(ports, interfaceAddresses(), config.getBoolean("tenantDenyPrivate", false));
  }

  private static List<byte[]> interfaceAddresses() {
    List<byte[]> addresses = new ArrayList<>();
    try {
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          addresses.add(IpAddresses.normalise(address.getAddress()));
        }
      }
    } catch (SocketException unreadable) {
      // no interface list: loopback and the rest are still refused by class
    }
    return addresses;
  }

  /** The class of a (normalised) address. */
  public static AddressClass classify(byte[] given) {
    byte[] address = IpAddresses.normalise(given);
    for (byte[] metadata : METADATA) {
      if (Arrays.equals(metadata, address)) {
        return AddressClass.CLOUD_METADATA;
      }
    }
    return address.length == 4 ? classifyIpv4(address) : classifyIpv6(address);
  }

  private static AddressClass classifyIpv4(byte[] address) {
    int first = address[0] & 0xff;
    int second = address[1] & 0xff;
    if (first == 0) {
      return AddressClass.UNSPECIFIED;  // 0/8, "this network": 0.0.0.0 reaches the local host on Linux
    }
    if (first == 127) {
      return AddressClass.LOOPBACK;
    }
    if (first == 169 && second == 254) {
      return AddressClass.LINK_LOCAL;
    }
    if (first >= 224 && first <= 239) {
      return AddressClass.MULTICAST;
    }
    if (Arrays.equals(address, IPV4_BROADCAST)) {
      return AddressClass.BROADCAST;
    }
    if (first >= 240) {
      return AddressClass.RESERVED;
    }
    for (Cidr range : IPV4_PRIVATE) {
      if (range.contains(address)) {
        return AddressClass.PRIVATE;
      }
    }
    return AddressClass.PUBLIC;
  }

  private static AddressClass classifyIpv6(byte[] address) {
    boolean zeroPrefix = true;
    for (int i = 0; i < 12; i++) {
      zeroPrefix &= address[i] == 0;
    }
    if (zeroPrefix) {
      int last = address[15] & 0xff;
      boolean small = address[12] == 0 && address[13] == 0 && address[14] == 0;
      return small && last == 0 ? AddressClass.UNSPECIFIED : small && last == 1 ? AddressClass.LOOPBACK
          : AddressClass.RESERVED;  // ::a.b.c.d, the deprecated IPv4-compatible form
    }
    if (NAT64.contains(address)) {
      return classify(Arrays.copyOfRange(address, 12, 16));  // what the NAT64 gateway would connect to
    }
    int first = address[0] & 0xff;
    if (first == 0xfe && (address[1] & 0xc0) == 0x80) {
      return AddressClass.LINK_LOCAL;
    }
    if (first == 0xff) {
      return AddressClass.MULTICAST;
    }
    if ((first & 0xfe) == 0xfc) {
      return AddressClass.PRIVATE;
    }
    return AddressClass.PUBLIC;
  }

  /** Why a tenant's site may not connect to {@code address}:{@code port}, or {@code null} when it may. */
  public String refusal(byte[] address, int port) {
    AddressClass kind = classify(address);
    if (kind != AddressClass.PUBLIC && (kind != AddressClass.PRIVATE || denyPrivate)) {
      return kind + " address " + IpAddresses.text(IpAddresses.normalise(address));
    }
    if (nodePorts.contains(port)) {
      byte[] normalised = IpAddresses.normalise(address);
      for (byte[] own : nodeAddresses) {
        if (Arrays.equals(own, normalised)) {
          return "the node's own port " + port + " on " + IpAddresses.text(normalised);
        }
      }
    }
    return null;
  }

  /**
   * Like {@link #refusal(byte[], int)} for a host as a site writes it: an address literal is
   * checked as such; of names, only those that always mean this host ({@code localhost},
   * RFC 6761) or a metadata endpoint are refused here — every other name is checked after DNS,
   * by the edge, when it connects.
   */
  public String refusal(String host, int port) {
    String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    byte[] literal = IpAddresses.parse(bare);
    if (literal != null) {
      return refusal(literal, port);
    }
    String name = bare.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.equals("localhost") || name.endsWith(".localhost")) {
      return AddressClass.LOOPBACK + " name " + name;
    }
    if (name.equals("metadata.google.internal") || name.equals("metadata")) {
      return AddressClass.CLOUD_METADATA + " name " + name;
    }
    return null;
  }
}
