package dev.portico.contract;

import dev.portico.contract.TargetAddressRules.AddressClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class TargetAddressRulesTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
      "127.0.0.1, LOOPBACK", "127.9.9.9, LOOPBACK", "::1, LOOPBACK", "::ffff:127.0.0.1, LOOPBACK",
      "0.0.0.0, UNSPECIFIED", "0.1.2.3, UNSPECIFIED", "::, UNSPECIFIED",
      "169.254.1.1, LINK_LOCAL", "fe80::1, LINK_LOCAL", "febf::1, LINK_LOCAL",
      "169.254.169.254, CLOUD_METADATA", "::ffff:169.254.169.254, CLOUD_METADATA", "fd00:ec2::254, CLOUD_METADATA",
      "100.100.100.200, CLOUD_METADATA", "168.63.129.16, CLOUD_METADATA", "64:ff9b::a9fe:a9fe, CLOUD_METADATA",
      "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST", "ff02::1, MULTICAST",
      "255.255.255.255, BROADCAST", "240.0.0.1, RESERVED", "::7f00:1, RESERVED", "::127.0.0.1, LOOPBACK",
      "10.1.2.3, PRIVATE", "172.16.0.1, PRIVATE", "172.31.255.255, PRIVATE", "192.168.1.1, PRIVATE",
      "100.64.0.1, PRIVATE", "fd12::1, PRIVATE", "fc00::1, PRIVATE",
      "172.32.0.1, PUBLIC", "8.8.8.8, PUBLIC", "2001:db8::1, PUBLIC", "64:ff9b::808:808, PUBLIC", "fec0::1, PUBLIC",
  })
  void classifiesAddresses(String address, AddressClass expected) {
    assertEquals(expected, TargetAddressRules.classify(IpAddresses.parse(address)));
  }

  @Test
  void tenantsReachPublicAndPrivateAddressesButNotTheNodeItself() {
    byte[] own = IpAddresses.parse("10.0.0.7");
    TargetAddressRules rules = new TargetAddressRules(Set.of(8080, 9090), List.of(own), false);
    assertNull(rules.refusal(IpAddresses.parse("10.0.0.8"), 9090), "another host's port");
    assertNull(rules.refusal(own, 3000), "the node's address on a port it does not listen on");
    assertNull(rules.refusal(IpAddresses.parse("8.8.8.8"), 80));
    assertEquals("the node's own port 9090 on 10.0.0.7", rules.refusal(own, 9090));
    assertEquals("loopback address 127.0.0.1", rules.refusal(IpAddresses.parse("::ffff:127.0.0.1"), 80));
    assertNotNull(rules.refusal("[::1]", 80));
    assertNotNull(rules.refusal("LocalHost.", 80));
    assertNotNull(rules.refusal("api.localhost", 80));
    assertNotNull(rules.refusal("metadata.google.internal", 80));
    assertNull(rules.refusal("api.internal", 80), "names are checked after DNS");
    TargetAddressRules strict = new TargetAddressRules(Set.of(), List.of(), true);
    assertEquals("private address 10.0.0.8", strict.refusal(IpAddresses.parse("10.0.0.8"), 80));
    assertNull(strict.refusal(IpAddresses.parse("8.8.8.8"), 80));
  }
}
