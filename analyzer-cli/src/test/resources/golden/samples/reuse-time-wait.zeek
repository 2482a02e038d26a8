#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-26-03-52-42
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]
1795665162.050988	C3C7f0QWGg8ZSIWi7u	127.0.0.1	41395	127.0.0.1	10355	tcp	-	0.015866	100	0	SF	-	-	0	ShADafF	5	368	4	216	-
1795665162.258808	ChAdTz460yOkVq2fcJ	127.0.0.1	41395	127.0.0.1	10355	tcp	-	0.000789	100	0	SF	-	-	0	ShADaFf	5	368	3	164	-
#close	2026-11-26-03-52-42
