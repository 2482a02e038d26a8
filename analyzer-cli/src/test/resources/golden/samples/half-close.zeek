#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-26-03-52-11
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]
1795665131.770032	CFyt4dbQqgACETp8l8	127.0.0.1	41418	127.0.0.1	10355	tcp	-	0.568369	100	5000	SF	-	-	0	ShADaFdf	10	628	9	5476	-
#close	2026-11-26-03-52-12
