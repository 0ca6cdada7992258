package org.replyensemble.comments.limits;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Who a request comes from, as far as a limit can tell: the remote address (behind a reverse
 * proxy, the one Tomcat's RemoteIpValve took from X-Forwarded-For, trusted proxies only), an
 * IPv6 address reduced to its network prefix (a /64 by default: one subscriber gets a whole /64,
 * and walking through it must not buy a fresh budget per address).
 */
final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private ClientAddress() {
    }

    static String of(String remoteAddress, int ipv6PrefixLength) {
        // Only literals are parsed (an IPv6 one has a colon, which no host name has): InetAddress
        // would look a host name up in DNS.
        if (remoteAddress == null || !(IPV4.matcher(remoteAddress).matches()
                || (remoteAddress.indexOf(':') >= 0 && IPV6.matcher(remoteAddress).matches()))) {
            return "other:" + remoteAddress;
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(remoteAddress).getAddress();
        } catch (UnknownHostException e) {
            return "other:" + remoteAddress;
        }
        if (bytes.length == 4) {
            return "v4:" + (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
        }
        for (int i = 0; i < 16; i++) {
            int bitsKept = Math.max(0, Math.min(8, ipv6PrefixLength - 8 * i));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - bitsKept)));
        }
        return "v6:" + HexFormat.of().formatHex(bytes) + "/" + ipv6PrefixLength;
    }
}
