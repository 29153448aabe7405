// Syslog line layouts, SSH daemon messages, Samba, tcpdump and the Cowrie honeypot.
// Names, meanings and semantics are those of the pattern files CrowdSec installs in
// /etc/crowdsec/patterns, so hub parsers that reference them capture the same fields.

export const SYSLOG_PATTERNS: readonly (readonly [string, string])[] = [
  // --- Classic and RFC 5424 syslog lines, cron and PAM session records.
  ["SYSLOG5424PRINTASCII", String.raw`[!-~]+`],
  ["SYSLOGBASE2", String.raw`(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp8601}) (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:logsource}+(?: %{SYSLOGPROG}:|)`],
  ["SYSLOGPAMSESSION", String.raw`%{SYSLOGBASE} %{GREEDYDATA:message}%{WORD:pam_module}\(%{DATA:pam_caller}\): session %{WORD:pam_session_state} for user %{USERNAME:username}(?: by %{GREEDYDATA:pam_by})?`],
  ["CRON_ACTION", String.raw`[A-Z ]+`],
  ["CRONLOG", String.raw`%{SYSLOGBASE} \(%{USER:user}\) %{CRON_ACTION:action} \(%{DATA:message}\)`],
  ["SYSLOGLINE", String.raw`%{SYSLOGBASE2} %{GREEDYDATA:message}`],
  ["SYSLOG5424PRI", String.raw`<%{NONNEGINT:syslog5424_pri}>`],
  ["SYSLOG5424SD", String.raw`\[%{DATA}\]+`],
  ["SYSLOG5424BASE", String.raw`%{SYSLOG5424PRI}%{NONNEGINT:syslog5424_ver} +(?:%{TIMESTAMP_ISO8601:syslog5424_ts}|-) +(?:%{HOSTNAME:syslog5424_host}|-) +(-|%{SYSLOG5424PRINTASCII:syslog5424_app}) +(-|%{SYSLOG5424PRINTASCII:syslog5424_proc}) +(-|%{SYSLOG5424PRINTASCII:syslog5424_msgid}) +(?:%{SYSLOG5424SD:syslog5424_sd}|-|)`],
  ["SYSLOG5424LINE", String.raw`%{SYSLOG5424BASE} +%{GREEDYDATA:syslog5424_msg}`],

  // --- OpenSSH daemon messages: logins, disconnects, probes, tunnels, bad protocol versions.
  ["SSHD_LISTEN", String.raw`Server listening on %{IP:sshd_listen_ip} port %{NUMBER:sshd_listen_port}.`],
  ["SSHD_TERMINATE", String.raw`Received signal %{NUMBER:sshd_signal}; terminating.`],
  ["SSHD_TUNN_ERR1", String.raw`error: connect_to %{IP:sshd_listen_ip} port %{NUMBER:sshd_listen_port}: failed.`],
  ["SSHD_TUNN_ERR2", String.raw`error: channel_setup_fwd_listener: cannot listen to port: %{NUMBER:sshd_listen_port}`],
  ["SSHD_TUNN_ERR3", String.raw`error: bind: Address already in use`],
  ["SSHD_TUNN_ERR4", String.raw`error: channel_setup_fwd_listener_tcpip: cannot listen to port: %{NUMBER:sshd_listen_port}`],
  ["SSHD_TUNN_TIMEOUT", String.raw`Timeout, client not responding.`],
  ["SSHD_SUCCESS", String.raw`Accepted %{WORD:sshd_auth_type} for %{USERNAME:sshd_user} from %{IP:sshd_client_ip} port %{NUMBER:sshd_port} %{WORD:sshd_protocol}: %{GREEDYDATA:sshd_cipher}`],
  ["SSHD_DISCONNECT", String.raw`Received disconnect from %{IP:sshd_client_ip} port %{NUMBER:sshd_port}:%{NUMBER:sshd_disconnect_code}: %{GREEDYDATA:sshd_disconnect_status}`],
  ["SSHD_CONN_CLOSE", String.raw`Connection closed by %{IP:sshd_client_ip}$`],
  ["SSHD_SESSION_OPEN", String.raw`pam_unix\(sshd:session\): session opened for user %{USERNAME:sshd_user} by \(uid=\d+\)`],
  ["SSHD_SESSION_CLOSE", String.raw`pam_unix\(sshd:session\): session closed for user %{USERNAME:sshd_user}`],
  ["SSHD_SESSION_FAIL", String.raw`pam_systemd\(sshd:session\): Failed to release session: %{GREEDYDATA:sshd_disconnect_status}`],
  ["SSHD_LOGOUT_ERR", String.raw`syslogin_perform_logout: logout\(\) returned an error`],
  ["SSHD_REFUSE_CONN", String.raw`refused connect from %{DATA:sshd_client_hostname} \(%{IPORHOST:sshd_client_ip}\)`],
  ["SSHD_TCPWRAP_FAIL1", String.raw`warning: %{DATA:sshd_tcpd_file}, line %{NUMBER}: can't verify hostname: getaddrinfo\(%{DATA:sshd_paranoid_hostname}, %{DATA:sshd_sa_family}\) failed`],
  ["SSHD_TCPWRAP_FAIL2", String.raw`warning: %{DATA:sshd_tcpd_file}, line %{NUMBER}: host name/address mismatch: %{IPORHOST:sshd_client_ip} != %{HOSTNAME:sshd_paranoid_hostname}`],
  ["SSHD_TCPWRAP_FAIL3", String.raw`warning: %{DATA:sshd_tcpd_file}, line %{NUMBER}: host name/name mismatch: %{HOSTNAME:sshd_paranoid_hostname_1} != %{HOSTNAME:sshd_paranoid_hostname_2}`],
  ["SSHD_TCPWRAP_FAIL4", String.raw`warning: %{DATA:sshd_tcpd_file}, line %{NUMBER}: host name/name mismatch: reverse lookup results in non-FQDN %{HOSTNAME:sshd_paranoid_hostname}`],
  ["SSHD_TCPWRAP_FAIL5", String.raw`warning: can't get client address: Connection reset by peer`],
  ["SSHD_FAIL", String.raw`Failed %{WORD:sshd_auth_type} for %{USERNAME:sshd_invalid_user} from %{IP:sshd_client_ip} port %{NUMBER:sshd_port} %{WORD:sshd_protocol}`],
  ["SSHD_USER_FAIL", String.raw`Failed password for invalid user %{USERNAME:sshd_invalid_user} from %{IP:sshd_client_ip} port %{NUMBER:sshd_port} %{WORD:sshd_protocol}`],
  ["SSHD_INVAL_USER", String.raw`Invalid user\s*%{USERNAME:sshd_invalid_user}? from %{IP:sshd_client_ip}`],
  ["SSHD_DISC_PREAUTH", String.raw`Disconnected from %{IP:sshd_client_ip} port %{NUMBER:sshd_port}\s*(?:\[%{GREEDYDATA:sshd_privsep}\]|)`],
  ["SSHD_MAXE_PREAUTH", String.raw`error: maximum authentication attempts exceeded for (?:invalid user |)%{USERNAME:sshd_invalid_user} from %{IP:sshd_client_ip} port %{NUMBER:sshd_port} %{WORD:sshd_protocol}\s*(?:\[%{GREEDYDATA:sshd_privsep}\]|)`],
  ["SSHD_DISR_PREAUTH", String.raw`Disconnecting: %{GREEDYDATA:sshd_disconnect_status} \[%{GREEDYDATA:sshd_privsep}\]`],
  ["SSHD_INVA_PREAUTH", String.raw`input_userauth_request: invalid user %{USERNAME:sshd_invalid_user}?\s*(?:\[%{GREEDYDATA:sshd_privsep}\]|)`],
  ["SSHD_REST_PREAUTH", String.raw`Connection reset by %{IP:sshd_client_ip} port %{NUMBER:sshd_port}\s*(?:\[%{GREEDYDATA:sshd_privsep}\]|)`],
  ["SSHD_CLOS_PREAUTH", String.raw`Connection closed by %{IP:sshd_client_ip} port %{NUMBER:sshd_port}\s*(?:\[%{GREEDYDATA:sshd_privsep}\]|)`],
  ["SSHD_FAIL_PREAUTH", String.raw`fatal: Unable to negotiate with %{IP:sshd_client_ip} port %{NUMBER:sshd_port}:\s*%{GREEDYDATA:sshd_disconnect_status}? \[%{GREEDYDATA:sshd_privsep}\]`],
  ["SSHD_FAI2_PREAUTH", String.raw`fatal: %{GREEDYDATA:sshd_fatal_status}: Connection from %{IP:sshd_client_ip} port %{NUMBER:sshd_port}:\s*%{GREEDYDATA:sshd_disconnect_status}? \[%{GREEDYDATA:sshd_privsep}\]`],
  ["SSHD_BADL_PREAUTH", String.raw`Bad packet length %{NUMBER:sshd_packet_length}. \[%{GREEDYDATA:sshd_privsep}\]`],
  ["SSHD_IDENT_FAIL", String.raw`Did not receive identification string from %{IP:sshd_client_ip}`],
  ["SSHD_MAPB_FAIL", String.raw`Address %{IP:sshd_client_ip} maps to %{HOSTNAME:sshd_client_hostname}, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!`],
  ["SSHD_RMAP_FAIL", String.raw`reverse mapping checking getaddrinfo for %{HOSTNAME:sshd_client_hostname} \[%{IP:sshd_client_ip}\] failed - POSSIBLE BREAK-IN ATTEMPT!`],
  ["SSHD_TOOMANY_AUTH", String.raw`Disconnecting: Too many authentication failures for %{USERNAME:sshd_invalid_user}`],
  ["SSHD_CORRUPT_MAC", String.raw`Corrupted MAC on input`],
  ["SSHD_PACKET_CORRUPT", String.raw`Disconnecting: Packet corrupt`],
  ["SSHD_BAD_VERSION", String.raw`Bad protocol version identification '%{GREEDYDATA}' from %{IP:sshd_client_ip}`],
  ["SSHD_INIT", String.raw`%{SSHD_LISTEN}|%{SSHD_TERMINATE}`],
  ["SSHD_TUNN", String.raw`%{SSHD_TUNN_ERR1}|%{SSHD_TUNN_ERR2}|%{SSHD_TUNN_ERR3}|%{SSHD_TUNN_ERR4}|%{SSHD_TUNN_TIMEOUT}`],
  ["SSHD_NORMAL_LOG", String.raw`%{SSHD_SUCCESS}|%{SSHD_DISCONNECT}|%{SSHD_CONN_CLOSE}|%{SSHD_SESSION_OPEN}|%{SSHD_SESSION_CLOSE}|%{SSHD_SESSION_FAIL}|%{SSHD_LOGOUT_ERR}`],
  ["SSHD_PROBE_LOG", String.raw`%{SSHD_REFUSE_CONN}|%{SSHD_TCPWRAP_FAIL1}|%{SSHD_TCPWRAP_FAIL2}|%{SSHD_TCPWRAP_FAIL3}|%{SSHD_TCPWRAP_FAIL4}|%{SSHD_TCPWRAP_FAIL5}|%{SSHD_FAIL}|%{SSHD_USER_FAIL}|%{SSHD_INVAL_USER}`],
  ["SSHD_PREAUTH", String.raw`%{SSHD_DISC_PREAUTH}|%{SSHD_MAXE_PREAUTH}|%{SSHD_DISR_PREAUTH}|%{SSHD_INVA_PREAUTH}|%{SSHD_REST_PREAUTH}|%{SSHD_FAIL_PREAUTH}|%{SSHD_CLOS_PREAUTH}|%{SSHD_FAI2_PREAUTH}|%{SSHD_BADL_PREAUTH}`],
  ["SSHD_CORRUPTED", String.raw`%{SSHD_IDENT_FAIL}|%{SSHD_MAPB_FAIL}|%{SSHD_RMAP_FAIL}|%{SSHD_TOOMANY_AUTH}|%{SSHD_CORRUPT_MAC}|%{SSHD_PACKET_CORRUPT}|%{SSHD_BAD_VERSION}`],
  ["SSHD_LOG", String.raw`%{SSHD_INIT}|%{SSHD_NORMAL_LOG}|%{SSHD_PROBE_LOG}|%{SSHD_CORRUPTED}|%{SSHD_TUNN}|%{SSHD_PREAUTH}`],

  // --- Samba authentication failures.
  ["SMB_AUTH_FAIL", String.raw`Auth:%{GREEDYDATA} user \[%{DATA:smb_domain}\]\\\[%{DATA:user}\]%{GREEDYDATA} status \[NT_STATUS_NO_SUCH_USER\]%{GREEDYDATA} remote host \[ipv4:%{IP:ip_source}`],

  // --- tcpdump one-line packet summaries.
  ["TCPDUMP_OUTPUT", String.raw`%{GREEDYDATA:timestamp} IP %{IPORHOST:source_ip}\.%{INT:source_port} > %{IPORHOST:dest_ip}\.%{INT:dest_port}: Flags \[%{GREEDYDATA:tcpflags}\], seq`],

  // --- Cowrie honeypot connection records.
  ["COWRIE_NEW_CO", String.raw`New connection: %{IPV4:source_ip}:[0-9]+ \(%{IPV4:dest_ip}:%{INT:dest_port}\) \[session: %{DATA:telnet_session}\]$`],
];
