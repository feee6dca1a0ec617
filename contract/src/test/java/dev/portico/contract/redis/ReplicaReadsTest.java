package dev.portico.contract.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** How a replica's {@code INFO replication} (as redis-server 7 writes it) decides where reads go. */
class ReplicaReadsTest {

  private static final String IN_SYNC = "# Replication\r\nrole:slave\r\nmaster_host:127.0.0.1\r\nmaster_port:6379\r\n"
      + "master_link_status:up\r\nmaster_last_io_seconds_ago:1\r\nmaster_sync_in_progress:0\r\n";

  @Test
  void aReplicaLinkedToItsMasterTakesTheReads() {
    assertEquals("in sync", ReplicaReads.describe(IN_SYNC));
    assertEquals("in sync", ReplicaReads.describe("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"));
  }

  @Test
  void aReplicaCutOffLoadingOrSilentIsLagging() {
    assertEquals("lagging: link to its master is down",
        ReplicaReads.describe(IN_SYNC.replace("master_link_status:up", "master_link_status:down")));
    assertEquals("lagging: loading a full copy from its master",
        ReplicaReads.describe(IN_SYNC.replace("master_sync_in_progress:0", "master_sync_in_progress:1")));
    assertEquals("lagging: nothing from its master for 45 s",
        ReplicaReads.describe(IN_SYNC.replace("master_last_io_seconds_ago:1", "master_last_io_seconds_ago:45")));
  }
}
