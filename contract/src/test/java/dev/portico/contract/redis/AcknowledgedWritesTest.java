package dev.portico.contract.redis;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which replicas of a master's {@code INFO replication} (redis-server 7) an admin write waits for. */
class AcknowledgedWritesTest {

  @Test
  void onlyReplicasOnlineCanAcknowledge() {
    assertEquals(0, AcknowledgedWrites.onlineReplicas("# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"));
    assertEquals(1, AcknowledgedWrites.onlineReplicas("# Replication\r\nrole:master\r\nconnected_slaves:2\r\n"
        + "slave0:ip=127.0.0.1,port=6380,state=online,offset=1234,lag=0\r\n"
        + "slave1:ip=127.0.0.1,port=6381,state=wait_bgsave,offset=0,lag=0\r\n"));
  }
}
