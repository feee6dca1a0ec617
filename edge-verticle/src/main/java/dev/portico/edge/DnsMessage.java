package dev.portico.edge;

import io.vertx.core.buffer.Buffer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The little of RFC 1035 the target resolver needs: a recursive query for one name and type,
 * and the answer records of a response (name, type, TTL and data: an address or a CNAME's
 * target), with name compression followed and bounded.
 */
final class DnsMessage {

  static final int A = 1;
  static final int CNAME = 5;
  static final int AAAA = 28;
  private static final int CLASS_IN = 1;
  private static final int MAX_POINTERS = 32;

  /** One answer record: for A/AAAA {@code data} is the address, for CNAME the target name. */
  record Answer(String name, int type, long ttlSeconds, String data) {
  }

  /** A decoded response: its id, response code and answers. */
  record Response(int id, int rcode, List<Answer> answers) {
  }

  private DnsMessage() {
  }

  static Buffer query(int id, String name, int type) {
    Buffer query = Buffer.buffer(32 + name.length())
        .appendUnsignedShort(id)
        .appendUnsignedShort(0x0100)  // standard query, recursion desired
        .appendUnsignedShort(1).appendUnsignedShort(0).appendUnsignedShort(0).appendUnsignedShort(0);
    for (String label : name.split("\\.")) {
      query.appendUnsignedByte((short) label.length()).appendString(label);
    }
    return query.appendUnsignedByte((short) 0).appendUnsignedShort(type).appendUnsignedShort(CLASS_IN);
  }

  /** Decodes a response; throws {@link IllegalArgumentException} for anything malformed. */
  static Response decode(Buffer packet) {
    try {
      int id = packet.getUnsignedShort(0);
      int flags = packet.getUnsignedShort(2);
      if ((flags & 0x8000) == 0) {
        throw new IllegalArgumentException("not a response");
      }
      int questions = packet.getUnsignedShort(4);
      int answers = packet.getUnsignedShort(6);
      int[] at = {12};
      for (int i = 0; i < questions; i++) {
        name(packet, at);
        at[0] += 4;
      }
      List<Answer> records = new ArrayList<>(answers);
      for (int i = 0; i < answers; i++) {
        String owner = name(packet, at);
        int type = packet.getUnsignedShort(at[0]);
        long ttl = packet.getUnsignedInt(at[0] + 4);
        int length = packet.getUnsignedShort(at[0] + 8);
        int data = at[0] + 10;
        at[0] = data + length;
        if (at[0] > packet.length()) {
          throw new IllegalArgumentException("truncated record");
        }
        switch (type) {
          case A, AAAA -> {
            if (length == 4 || length == 16) {
              records.add(new Answer(owner, type, ttl, InetAddress.getByAddress(packet.getBytes(data, data + length))
                  .getHostAddress()));
            }
          }
          case CNAME -> records.add(new Answer(owner, type, ttl, name(packet, new int[] {data})));
          default -> {
            // other types are of no use here
          }
        }
      }
      return new Response(id, flags & 0xf, records);
    } catch (IndexOutOfBoundsException | UnknownHostException e) {
      throw new IllegalArgumentException("malformed DNS response", e);
    }
  }

  /** Reads a (possibly compressed) name at {@code at[0]} and moves {@code at[0]} past it. */
  private static String name(Buffer packet, int[] at) {
    StringBuilder name = new StringBuilder();
    int position = at[0];
    int end = -1;
    for (int pointers = 0; ; ) {
      int length = packet.getUnsignedByte(position);
      if (length == 0) {
        position++;
        break;
      }
      if ((length & 0xc0) == 0xc0) {
        if (++pointers > MAX_POINTERS) {
          throw new IllegalArgumentException("name compression loop");
        }
        if (end < 0) {
          end = position + 2;
        }
        position = ((length & 0x3f) << 8) | packet.getUnsignedByte(position + 1);
        continue;
      }
      if (name.length() > 0) {
        name.append('.');
      }
      name.append(packet.getString(position + 1, position + 1 + length, "ISO-8859-1"));
      position += 1 + length;
      if (name.length() > 255) {
        throw new IllegalArgumentException("name too long");
      }
    }
    at[0] = end >= 0 ? end : position;
    return name.toString().toLowerCase(Locale.ROOT);
  }
}
