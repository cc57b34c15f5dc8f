/**
 * nmap -oX output captured on the development machine (Debian, nmap 7.93) by scanning servers opened on
 * 127.0.0.1 for the purpose. Ports are whatever the OS handed out at capture time.
 */

/** nmap 7.93, -sT -T4 -sV --script=banner,http-title,http-server-header over 4 loopback ports: an SSH banner server, a server sending ANSI escapes, a silent one, a closed port. */
export const SERVICE_SCAN_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:23:40 2026 as: nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 2s -sT -T4 -sV -&#45;version-intensity 2 -&#45;script=banner,http-title,http-server-header -p 38813,46563,33771,47539 -&#45; 127.0.0.1 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 2s -sT -T4 -sV -&#45;version-intensity 2 -&#45;script=banner,http-title,http-server-header -p 38813,46563,33771,47539 -&#45; 127.0.0.1" start="1795638220" startstr="Wed Nov 25 20:23:40 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="4" services="33771,38813,46563,47539"/>
<verbose level="0"/>
<debugging level="0"/>
<taskprogress task="Service scan" time="1795638222" percent="66.67" remaining="2" etc="1795638223"/>
<taskprogress task="Service scan" time="1795638225" percent="66.67" remaining="3" etc="1795638228"/>
<taskprogress task="NSE" time="1795638226" percent="99.26" remaining="1" etc="1795638226"/>
<host starttime="1795638220" endtime="1795638227"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="33771"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="unknown" servicefp="SF-Port33771-TCP:V=7.93%I=2%D=11/25%Time=6B0743D1%P=x86_64-pc-linux-gnu%r(NULL,19,&quot;220\x20evil\x1b\[2J\x07\x20ftp\x20ready\r\n&quot;)%r(GenericLines,19,&quot;220\x20evil\x1b\[2J\x07\x20ftp\x20ready\r\n&quot;)%r(GetRequest,19,&quot;220\x20evil\x1b\[2J\x07\x20ftp\x20ready\r\n&quot;)%r(SSLSessionReq,19,&quot;220\x20evil\x1b\[2J\x07\x20ftp\x20ready\r\n&quot;)%r(TLSSessionReq,19,&quot;220\x20evil\x1b\[2J\x07\x20ftp\x20ready\r\n&quot;);" method="table" conf="3"/><script id="fingerprint-strings" output="&#xa;  GenericLines, GetRequest, NULL, SSLSessionReq, TLSSessionReq: &#xa;    220 evil&#xa;    ready"><elem key="GenericLines, GetRequest, NULL, SSLSessionReq, TLSSessionReq">&#xa;    220 evil&#xa;    ready</elem>
</script><script id="banner" output="220 evil\x1B[2J\x07 ftp ready"/></port>
<port protocol="tcp" portid="38813"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="ssh" product="OpenSSH" version="9.2p1 Debian 2" extrainfo="protocol 2.0" ostype="Linux" method="probed" conf="10"><cpe>cpe:/a:openbsd:openssh:9.2p1</cpe><cpe>cpe:/o:linux:linux_kernel</cpe></service><script id="banner" output="SSH-2.0-OpenSSH_9.2p1 Debian-2"/></port>
<port protocol="tcp" portid="46563"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="tcpwrapped" method="probed" conf="8"/></port>
<port protocol="tcp" portid="47539"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
</ports>
<times srtt="362" rttvar="2210" to="100000"/>
</host>
<runstats><finished time="1795638227" timestr="Wed Nov 25 20:23:47 2026" summary="Nmap done at Wed Nov 25 20:23:47 2026; 1 IP address (1 host up) scanned in 7.19 seconds" elapsed="7.19" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
`;

/** nmap 7.93, -sT -sV --script=http-title,http-headers,http-server-header against python -m http.server on loopback. */
export const HTTP_SCRIPTS_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:23:53 2026 as: nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 2s -sT -T4 -sV -&#45;script=http-title,http-headers,http-server-header -p 33415 -&#45; 127.0.0.1 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 2s -sT -T4 -sV -&#45;script=http-title,http-headers,http-server-header -p 33415 -&#45; 127.0.0.1" start="1795638233" startstr="Wed Nov 25 20:23:53 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="1" services="33415"/>
<verbose level="0"/>
<debugging level="0"/>
<taskprogress task="Service scan" time="1795638239" percent="0.00"/>
<host starttime="1795638233" endtime="1795638239"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="33415"><state state="open" reason="syn-ack" reason_ttl="0"/><service name="http" product="SimpleHTTPServer" version="0.6" extrainfo="Python 3.11.7" method="probed" conf="10"><cpe>cpe:/a:python:simplehttpserver:0.6</cpe></service><script id="http-server-header" output="SimpleHTTP/0.6 Python/3.11.7"><elem>SimpleHTTP/0.6 Python/3.11.7</elem>
</script><script id="http-headers" output="&#xa;  Server: SimpleHTTP/0.6 Python/3.11.7&#xa;  Date: Wed, 25 Nov 2026 20:23:59 GMT&#xa;  Content-type: text/html; charset=utf-8&#xa;  Content-Length: 747&#xa;  &#xa;  (Request type: HEAD)&#xa;"/><script id="http-title" output="Directory listing for /"><elem key="title">Directory listing for /</elem>
</script></port>
</ports>
<times srtt="109" rttvar="5000" to="100000"/>
</host>
<runstats><finished time="1795638239" timestr="Wed Nov 25 20:23:59 2026" summary="Nmap done at Wed Nov 25 20:23:59 2026; 1 IP address (1 host up) scanned in 6.19 seconds" elapsed="6.19" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
`;

/** nmap 7.93, -sT --top-ports 100 against 127.0.0.1 with none of them open: everything collapses into <extraports>. */
export const TOP_PORTS_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:23:59 2026 as: nmap -n -oX - -&#45;no-stylesheet -sT -T4 -&#45;top-ports 100 -&#45; 127.0.0.1 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -sT -T4 -&#45;top-ports 100 -&#45; 127.0.0.1" start="1795638239" startstr="Wed Nov 25 20:23:59 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="100" services="7,9,13,21-23,25-26,37,53,79-81,88,106,110-111,113,119,135,139,143-144,179,199,389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,6646,7070,8000,8008-8009,8080-8081,8443,8888,9100,9999-10000,32768,49152-49157"/>
<verbose level="0"/>
<debugging level="0"/>
<host starttime="1795638239" endtime="1795638239"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><extraports state="closed" count="100">
<extrareasons reason="conn-refused" count="100" proto="tcp" ports="7,9,13,21-23,25-26,37,53,79-81,88,106,110-111,113,119,135,139,143-144,179,199,389,427,443-445,465,513-515,543-544,548,554,587,631,646,873,990,993,995,1025-1029,1110,1433,1720,1723,1755,1900,2000-2001,2049,2121,2717,3000,3128,3306,3389,3986,4899,5000,5009,5051,5060,5101,5190,5357,5432,5631,5666,5800,5900,6000-6001,6646,7070,8000,8008-8009,8080-8081,8443,8888,9100,9999-10000,32768,49152-49157"/>
</extraports>
</ports>
<times srtt="91" rttvar="89" to="100000"/>
</host>
<runstats><finished time="1795638239" timestr="Wed Nov 25 20:23:59 2026" summary="Nmap done at Wed Nov 25 20:23:59 2026; 1 IP address (1 host up) scanned in 0.02 seconds" elapsed="0.02" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
`;

/** nmap 7.93, -sT -p <closed>,<closed> over 127.0.0.0/30. */
export const CIDR_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:23:31 2026 as: nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 1s -sT -T4 -p 55193,36017 -&#45; 127.0.0.0/30 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 1s -sT -T4 -p 55193,36017 -&#45; 127.0.0.0/30" start="1795638211" startstr="Wed Nov 25 20:23:31 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="2" services="36017,55193"/>
<verbose level="0"/>
<debugging level="0"/>
<host starttime="1795638211" endtime="1795638211"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.0" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="36017"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
<port protocol="tcp" portid="55193"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
</ports>
<times srtt="269" rttvar="3804" to="100000"/>
</host>
<host starttime="1795638211" endtime="1795638211"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="36017"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
<port protocol="tcp" portid="55193"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
</ports>
<times srtt="553" rttvar="3827" to="100000"/>
</host>
<host starttime="1795638211" endtime="1795638211"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.2" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="36017"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
<port protocol="tcp" portid="55193"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
</ports>
<times srtt="487" rttvar="3838" to="100000"/>
</host>
<host starttime="1795638211" endtime="1795638211"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.3" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="36017"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
<port protocol="tcp" portid="55193"><state state="closed" reason="conn-refused" reason_ttl="0"/></port>
</ports>
<times srtt="474" rttvar="3838" to="100000"/>
</host>
<runstats><finished time="1795638211" timestr="Wed Nov 25 20:23:31 2026" summary="Nmap done at Wed Nov 25 20:23:31 2026; 4 IP addresses (4 hosts up) scanned in 0.01 seconds" elapsed="0.01" exit="success"/><hosts up="4" down="0" total="4"/>
</runstats>
</nmaprun>
`;

/** nmap 7.93 as root, -sS -O over one open and one closed loopback port (the long <osfingerprint> line removed). */
export const OS_DETECTION_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:24:52 2026 as: nmap -n -oX - -&#45;no-stylesheet -sS -O -T4 -p 38813,47539 -&#45; 127.0.0.1 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -sS -O -T4 -p 38813,47539 -&#45; 127.0.0.1" start="1795638292" startstr="Wed Nov 25 20:24:52 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="syn" protocol="tcp" numservices="2" services="38813,47539"/>
<verbose level="0"/>
<debugging level="0"/>
<host starttime="1795638292" endtime="1795638303"><status state="up" reason="localhost-response" reason_ttl="0"/>
<address addr="127.0.0.1" addrtype="ipv4"/>
<hostnames>
</hostnames>
<ports><port protocol="tcp" portid="38813"><state state="open" reason="syn-ack" reason_ttl="64"/></port>
<port protocol="tcp" portid="47539"><state state="closed" reason="reset" reason_ttl="64"/></port>
</ports>
<os><portused state="open" proto="tcp" portid="38813"/>
<portused state="closed" proto="tcp" portid="47539"/>
<portused state="closed" proto="udp" portid="32393"/>
<osmatch name="Linux 5.0 - 5.2" accuracy="97" line="68062">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="5.X" accuracy="97"><cpe>cpe:/o:linux:linux_kernel:5</cpe></osclass>
</osmatch>
<osmatch name="Linux 3.1" accuracy="95" line="62917">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="95"><cpe>cpe:/o:linux:linux_kernel:3.1</cpe></osclass>
</osmatch>
<osmatch name="Linux 3.2" accuracy="95" line="64664">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="95"><cpe>cpe:/o:linux:linux_kernel:3.2</cpe></osclass>
</osmatch>
<osmatch name="AXIS 210A or 211 Network Camera (Linux 2.6.17)" accuracy="94" line="61815">
<osclass type="webcam" vendor="Linux" osfamily="Linux" osgen="2.6.X" accuracy="94"><cpe>cpe:/o:linux:linux_kernel:2.6.17</cpe></osclass>
<osclass type="webcam" vendor="AXIS" osfamily="embedded" accuracy="94"><cpe>cpe:/h:axis:210a_network_camera</cpe><cpe>cpe:/h:axis:211_network_camera</cpe></osclass>
</osmatch>
<osmatch name="Linux 3.7 - 3.11" accuracy="93" line="65975">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="93"><cpe>cpe:/o:linux:linux_kernel:3</cpe></osclass>
</osmatch>
<osmatch name="Linux 2.6.32" accuracy="93" line="55733">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="2.6.X" accuracy="93"><cpe>cpe:/o:linux:linux_kernel:2.6.32</cpe></osclass>
</osmatch>
<osmatch name="Linux 3.8 - 3.9" accuracy="93" line="66328">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="93"><cpe>cpe:/o:linux:linux_kernel:3</cpe></osclass>
</osmatch>
<osmatch name="ASUS RT-N56U WAP (Linux 3.4)" accuracy="93" line="8398">
<osclass type="WAP" vendor="Asus" osfamily="embedded" accuracy="93"><cpe>cpe:/h:asus:rt-n56u</cpe></osclass>
<osclass type="WAP" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="93"><cpe>cpe:/o:linux:linux_kernel:3.4</cpe></osclass>
</osmatch>
<osmatch name="Linux 3.16" accuracy="93" line="64171">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="93"><cpe>cpe:/o:linux:linux_kernel:3.16</cpe></osclass>
</osmatch>
<osmatch name="Linux 3.8 - 4.14" accuracy="92" line="66372">
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="3.X" accuracy="92"><cpe>cpe:/o:linux:linux_kernel:3</cpe></osclass>
<osclass type="general purpose" vendor="Linux" osfamily="Linux" osgen="4.X" accuracy="92"><cpe>cpe:/o:linux:linux_kernel:4</cpe></osclass>
</osmatch>
</os>
<uptime seconds="1" lastboot="Wed Nov 25 20:25:02 2026"/>
<distance value="0"/>
<tcpsequence index="254" difficulty="Good luck!" values="900B596C,EDDB5A9C,A5F3382E,4A7249F6,CB817588,5E3CCF6B"/>
<ipidsequence class="All zeros" values="0,0,0,0,0,0"/>
<tcptssequence class="other" values="95DBA47,B67C9313,645DC5D1,368947AE,484F9BD3,7FDB0160"/>
<times srtt="29" rttvar="17" to="100000"/>
</host>
<runstats><finished time="1795638303" timestr="Wed Nov 25 20:25:03 2026" summary="Nmap done at Wed Nov 25 20:25:03 2026; 1 IP address (1 host up) scanned in 11.65 seconds" elapsed="11.65" exit="success"/><hosts up="1" down="0" total="1"/>
</runstats>
</nmaprun>
`;

/** nmap 7.93 with --script=doesnotexist: XML with runstats exit="error" and no host. */
export const SCRIPT_ERROR_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:27:27 2026 as: nmap -n -oX - -&#45;no-stylesheet -sT -p 1 -&#45;script=doesnotexist -&#45; 127.0.0.1 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -sT -p 1 -&#45;script=doesnotexist -&#45; 127.0.0.1" start="1795638447" startstr="Wed Nov 25 20:27:27 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="1" services="1"/>
<verbose level="0"/>
<debugging level="0"/>
<runstats><finished time="1795638447" timestr="Wed Nov 25 20:27:27 2026" summary="Nmap done at Wed Nov 25 20:27:27 2026; 0 IP addresses (0 hosts up) scanned in 0.14 seconds" elapsed="0.14" exit="error" errormsg="NSE: failed to initialize the script engine:&#xa;/usr/bin/../share/nmap/nse_main.lua:833: &apos;doesnotexist&apos; did not match a category, filename, or directory&#xa;stack traceback:&#xa;&#x9;[C]: in function &apos;error&apos;&#xa;&#x9;/usr/bin/../share/nmap/nse_main.lua:833: in local &apos;get_chosen_scripts&apos;&#xa;&#x9;/usr/bin/../share/nmap/nse_main.lua:1344: in main chunk&#xa;&#x9;[C]: in ?&#xa;"/><hosts up="0" down="0" total="0"/>
</runstats>
</nmaprun>
`;

/** nmap 7.93, -sT -T2 -p 1-30 killed with SIGTERM after 3 s: no host finished, no closing tags. */
export const KILLED_XML = String.raw`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nmaprun>
<!-- Nmap 7.93 scan initiated Wed Nov 25 20:24:09 2026 as: nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 1s -sT -T2 -p 1-30 -&#45; 127.0.0.1 -->
<nmaprun scanner="nmap" args="nmap -n -oX - -&#45;no-stylesheet -&#45;stats-every 1s -sT -T2 -p 1-30 -&#45; 127.0.0.1" start="1795638249" startstr="Wed Nov 25 20:24:09 2026" version="7.93" xmloutputversion="1.05">
<scaninfo type="connect" protocol="tcp" numservices="30" services="1-30"/>
<verbose level="0"/>
<debugging level="0"/>
<taskprogress task="Connect Scan" time="1795638250" percent="6.67" remaining="14" etc="1795638264"/>
<taskprogress task="Connect Scan" time="1795638251" percent="13.33" remaining="14" etc="1795638264"/>
`;
