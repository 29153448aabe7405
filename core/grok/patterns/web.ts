// Web servers and application frameworks.
// Names, meanings and semantics are those of the pattern files CrowdSec installs in
// /etc/crowdsec/patterns, so hub parsers that reference them capture the same fields.

export const WEB_PATTERNS: readonly (readonly [string, string])[] = [
  // --- nginx access and error logs, NAXSI WAF records.
  ["NGUSERNAME", String.raw`[a-zA-Z\.\@\-\+_%]+`],
  ["NGUSER", String.raw`%{NGUSERNAME}`],
  ["NOTDQUOTE", String.raw`[^"]*`],
  ["DAY2", String.raw`\d{2}`],
  ["NGINXERRTIME", String.raw`%{YEAR}/%{MONTHNUM2}/%{DAY2} %{HOUR}:%{MINUTE}:%{SECOND}`],
  ["NGINXACCESS", String.raw`%{IPORHOST:remote_addr} - %{NGUSER:remote_user} \[%{HTTPDATE:time_local}\] "%{WORD:method} %{URIPATHPARAM:request} HTTP/%{NUMBER:http_version}" %{NUMBER:status} %{NUMBER:body_bytes_sent} "%{NOTDQUOTE:http_referer}" "%{NOTDQUOTE:http_user_agent}"`],
  ["NGINXERROR", String.raw`%{NGINXERRTIME:time} \[%{LOGLEVEL:loglevel}\] %{NONNEGINT:pid}#%{NONNEGINT:tid}: (\*%{NONNEGINT:cid} )?%{GREEDYDATA:message}`],

  // --- HAProxy HTTP and TCP logs and their captured headers.
  ["HAPROXYTIME", String.raw`%{HOUR:haproxy_hour}:%{MINUTE:haproxy_minute}(?::%{SECOND:haproxy_second})`],
  ["HAPROXYDATE", String.raw`%{MONTHDAY:haproxy_monthday}/%{MONTH:haproxy_month}/%{YEAR:haproxy_year}:%{HAPROXYTIME:haproxy_time}.%{INT:haproxy_milliseconds}`],
  ["HAPROXYCAPTUREDREQUESTHEADERS", String.raw`%{DATA:captured_request_headers}`],
  ["HAPROXYCAPTUREDRESPONSEHEADERS", String.raw`%{DATA:captured_response_headers}`],
  ["HAPROXYHTTPBASE", String.raw`%{IP:client_ip}:%{INT:client_port} \[%{HAPROXYDATE:accept_date}\] %{NOTSPACE:frontend_name} %{NOTSPACE:backend_name}/%{NOTSPACE:server_name} %{INT:time_request}/%{INT:time_queue}/%{INT:time_backend_connect}/%{INT:time_backend_response}/%{NOTSPACE:time_duration} %{INT:http_status_code} %{NOTSPACE:bytes_read} %{DATA:captured_request_cookie} %{DATA:captured_response_cookie} %{NOTSPACE:termination_state} %{INT:actconn}/%{INT:feconn}/%{INT:beconn}/%{INT:srvconn}/%{NOTSPACE:retries} %{INT:srv_queue}/%{INT:backend_queue} (\{%{HAPROXYCAPTUREDREQUESTHEADERS}\})?( )?(\{%{HAPROXYCAPTUREDRESPONSEHEADERS}\})?( )?"(<BADREQ>|(%{WORD:http_verb} (%{URIPROTO:http_proto}://)?(?:%{USER:http_user}(?::[^@]*)?@)?(?:%{URIHOST:http_host})?(?:%{URIPATHPARAM:http_request})?( HTTP/%{NUMBER:http_version})?))?"`],
  ["HAPROXYHTTP", String.raw`(?:%{SYSLOGTIMESTAMP:syslog_timestamp}|%{TIMESTAMP_ISO8601:timestamp8601}) %{IPORHOST:syslog_server} %{SYSLOGPROG}: %{HAPROXYHTTPBASE}`],
  ["HAPROXYTCP", String.raw`(?:%{SYSLOGTIMESTAMP:syslog_timestamp}|%{TIMESTAMP_ISO8601:timestamp8601}) %{IPORHOST:syslog_server} %{SYSLOGPROG}: %{IP:client_ip}:%{INT:client_port} \[%{HAPROXYDATE:accept_date}\] %{NOTSPACE:frontend_name} %{NOTSPACE:backend_name}/%{NOTSPACE:server_name} %{INT:time_queue}/%{INT:time_backend_connect}/%{NOTSPACE:time_duration} %{NOTSPACE:bytes_read} %{NOTSPACE:termination_state} %{INT:actconn}/%{INT:feconn}/%{INT:beconn}/%{INT:srvconn}/%{NOTSPACE:retries} %{INT:srv_queue}/%{INT:backend_queue}`],

  // --- ModSecurity audit log fields.
  ["APACHEERRORTIME", String.raw`%{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{YEAR}`],
  ["APACHEERRORPREFIX", String.raw`\[%{APACHEERRORTIME:timestamp}\] \[%{NOTSPACE:apacheseverity}\] (\[pid %{INT}:tid %{INT}\] )?\[client %{IPORHOST:sourcehost}(:%{INT:source_port})?\] (\[client %{IPORHOST}\])?`],
  ["GENERICAPACHEERROR", String.raw`%{APACHEERRORPREFIX} %{GREEDYDATA:message}`],
  ["MODSECPREFIX", String.raw`%{APACHEERRORPREFIX} ModSecurity: %{NOTSPACE:modsecseverity}\. %{GREEDYDATA:modsecmessage}`],
  ["MODSECRULEFILE", String.raw`\[file %{QUOTEDSTRING:rulefile}\]`],
  ["MODSECRULELINE", String.raw`\[line %{QUOTEDSTRING:ruleline}\]`],
  ["MODSECMATCHOFFSET", String.raw`\[offset %{QUOTEDSTRING:matchoffset}\]`],
  ["MODSECRULEID", String.raw`\[id %{QUOTEDSTRING:ruleid}\]`],
  ["MODSECRULEREV", String.raw`\[rev %{QUOTEDSTRING:rulerev}\]`],
  ["MODSECRULEMSG", String.raw`\[msg %{QUOTEDSTRING:rulemessage}\]`],
  ["MODSECRULEDATA", String.raw`\[data %{QUOTEDSTRING:ruledata}\]`],
  ["MODSECRULESEVERITY", String.raw`\[severity ["']%{WORD:ruleseverity}["']\]`],
  ["MODSECRULEVERS", String.raw`\[ver "[^"]+"\]`],
  ["MODSECRULETAGS", String.raw`(?:\[tag %{QUOTEDSTRING:ruletag0}\] )?(?:\[tag %{QUOTEDSTRING:ruletag1}\] )?(?:\[tag %{QUOTEDSTRING:ruletag2}\] )?(?:\[tag %{QUOTEDSTRING:ruletag3}\] )?(?:\[tag %{QUOTEDSTRING:ruletag4}\] )?(?:\[tag %{QUOTEDSTRING:ruletag5}\] )?(?:\[tag %{QUOTEDSTRING:ruletag6}\] )?(?:\[tag %{QUOTEDSTRING:ruletag7}\] )?(?:\[tag %{QUOTEDSTRING:ruletag8}\] )?(?:\[tag %{QUOTEDSTRING:ruletag9}\] )?(?:\[tag %{QUOTEDSTRING}\] )*`],
  ["MODSECHOSTNAME", String.raw`\[hostname ['"]%{DATA:targethost}["']\]`],
  ["MODSECURI", String.raw`\[uri ["']%{DATA:targeturi}["']\]`],
  ["MODSECUID", String.raw`\[unique_id %{QUOTEDSTRING:uniqueid}\]`],
  ["MODSECAPACHEERROR", String.raw`%{MODSECPREFIX} %{MODSECRULEFILE} %{MODSECRULELINE} (?:%{MODSECMATCHOFFSET} )?(?:%{MODSECRULEID} )?(?:%{MODSECRULEREV} )?(?:%{MODSECRULEMSG} )?(?:%{MODSECRULEDATA} )?(?:%{MODSECRULESEVERITY} )?(?:%{MODSECRULEVERS} )?%{MODSECRULETAGS}%{MODSECHOSTNAME} %{MODSECURI} %{MODSECUID}`],

  // --- Ruby on Rails request logs.
  ["RUUID", String.raw`\s{32}`],
  ["RAILS_CONSTROLLER", String.raw`[^#]+`],
  ["RAIL_ACTION", String.raw`\w+`],
  ["RCONTROLLER", String.raw`%{RAILS_CONSTROLLER:controller}#%{RAIL_ACTION:action}`],
  ["RAILS_TIMESTAMP", String.raw`%{YEAR}-%{MONTHNUM}-%{MONTHDAY} %{HOUR}:%{MINUTE}:%{SECOND} %{ISO8601_TIMEZONE}`],
  ["RAILS3HEAD", String.raw`(?m)Started %{WORD:verb} "%{URIPATHPARAM:request}" for %{IPORHOST:clientip} at %{RAILS_TIMESTAMP:timestamp}`],
  ["RPROCESSING", String.raw`\W*Processing by %{RCONTROLLER} as %{NOTSPACE:format}(?:\W*Parameters: {%{DATA:params}}\W*)?`],
  ["RAILS3PROFILE", String.raw`(?:\(Views: %{NUMBER:viewms}ms \| ActiveRecord: %{NUMBER:activerecordms}ms|\(ActiveRecord: %{NUMBER:activerecordms}ms)?`],
  ["RAILS3FOOT", String.raw`Completed %{NUMBER:response}%{DATA} in %{NUMBER:totalms}ms %{RAILS3PROFILE}%{GREEDYDATA}`],
  ["RAILS_CONTEXT", String.raw`(?:%{DATA}\n)*`],
  ["RAILS3", String.raw`%{RAILS3HEAD}(?:%{RPROCESSING})?%{RAILS_CONTEXT:context}(?:%{RAILS3FOOT})?`],

  // --- Ruby logger lines.
  ["RUBY_LOGLEVEL", String.raw`DEBUG|FATAL|ERROR|WARN|INFO`],
  ["RUBY_LOGGER", String.raw`[DFEWI], \[%{TIMESTAMP_ISO8601:timestamp} #%{POSINT:pid}\] *%{RUBY_LOGLEVEL:loglevel} -- +%{DATA:progname}: %{GREEDYDATA:message}`],

  // --- Java stack traces, Tomcat and Catalina logs.
  ["JAVACLASS", String.raw`(?:[a-zA-Z$_][a-zA-Z$_0-9]*\.)*[a-zA-Z$_][a-zA-Z$_0-9]*`],
  ["JAVAFILE", String.raw`(?:[A-Za-z0-9_. -]+)`],
  ["JAVAMETHOD", String.raw`(?:(<init>)|[a-zA-Z$_][a-zA-Z$_0-9]*)`],
  ["JAVASTACKTRACEPART", String.raw`%{SPACE}at %{JAVACLASS:class}\.%{JAVAMETHOD:method}\(%{JAVAFILE:file}(?::%{NUMBER:line})?\)`],
  ["JAVATHREAD", String.raw`(?:[A-Z]{2}-Processor[\d]+)`],
  ["JAVALOGMESSAGE", String.raw`(.*)`],
  ["CATALINA_DATESTAMP", String.raw`%{MONTH} %{MONTHDAY}, 20%{YEAR} %{HOUR}:?%{MINUTE}(?::?%{SECOND}) (?:AM|PM)`],
  ["TOMCAT_DATESTAMP", String.raw`20%{YEAR}-%{MONTHNUM}-%{MONTHDAY} %{HOUR}:?%{MINUTE}(?::?%{SECOND}) %{ISO8601_TIMEZONE}`],
  ["CATALINALOG", String.raw`%{CATALINA_DATESTAMP:timestamp} %{JAVACLASS:class} %{JAVALOGMESSAGE:logmessage}`],
  ["TOMCATLOG", String.raw`%{TOMCAT_DATESTAMP:timestamp} \| %{LOGLEVEL:level} \| %{JAVACLASS:class} - %{JAVALOGMESSAGE:logmessage}`],

  // --- Helpers for splitting a path.
  ["NAXSI_FMT", String.raw`^NAXSI_FMT: ip=%{IPORHOST:src_ip}&server=%{IPORHOST:target_ip}&uri=%{PATH:http_path}&learning=\d&vers=%{DATA:naxsi_version}&total_processed=\d+&total_blocked=\d+&block=\d+(&cscore\d=%{WORD:score_label}&score\d=%{INT:score})+&zone0=%{WORD:zone}`],
  ["NAXSI_EXLOG", String.raw`^NAXSI_EXLOG: ip=%{IPORHOST:naxsi_src_ip}&server=%{IPORHOST:naxsi_dst_ip}&uri=%{PATH:http_path}&id=%{INT:naxsi_id}&zone=%{WORD:naxsi_zone}&var_name=%{DATA:naxsi_var_name}&content=`],

  // --- AWS S3, ELB and CloudFront access logs. S3_ACCESS_LOG and ELB_ACCESS_LOG carry Logstash type
  // suffixes (%{INT:x:int}), which grok keeps as literal text, so upstream they can never match;
  // kept so.
  ["S3_REQUEST_LINE", String.raw`(?:%{WORD:verb} %{NOTSPACE:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})`],
  ["S3_ACCESS_LOG", String.raw`%{WORD:owner} %{NOTSPACE:bucket} \[%{HTTPDATE:timestamp}\] %{IP:clientip} %{NOTSPACE:requester} %{NOTSPACE:request_id} %{NOTSPACE:operation} %{NOTSPACE:key} (?:"%{S3_REQUEST_LINE}"|-) (?:%{INT:response:int}|-) (?:-|%{NOTSPACE:error_code}) (?:%{INT:bytes:int}|-) (?:%{INT:object_size:int}|-) (?:%{INT:request_time_ms:int}|-) (?:%{INT:turnaround_time_ms:int}|-) (?:%{QS:referrer}|-) (?:"?%{QS:agent}"?|-) (?:-|%{NOTSPACE:version_id})`],
  ["ELB_URIPATHPARAM", String.raw`%{URIPATH:path}(?:%{URIPARAM:params})?`],
  ["ELB_URI", String.raw`%{URIPROTO:proto}://(?:%{USER}(?::[^@]*)?@)?(?:%{URIHOST:urihost})?(?:%{ELB_URIPATHPARAM})?`],
  ["ELB_REQUEST_LINE", String.raw`(?:%{WORD:verb} %{ELB_URI:request}(?: HTTP/%{NUMBER:httpversion})?|%{DATA:rawrequest})`],
  ["ELB_ACCESS_LOG", String.raw`%{TIMESTAMP_ISO8601:timestamp} %{NOTSPACE:elb} %{IP:clientip}:%{INT:clientport:int} (?:(%{IP:backendip}:?:%{INT:backendport:int})|-) %{NUMBER:request_processing_time:float} %{NUMBER:backend_processing_time:float} %{NUMBER:response_processing_time:float} %{INT:response:int} %{INT:backend_response:int} %{INT:received_bytes:int} %{INT:bytes:int} "%{ELB_REQUEST_LINE}"`],
];
