#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-26-03-53-44
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]
1795665224.468965	CRPG9rW8xfSgcnu9RK	10.9.0.1	48430	10.9.0.2	10355	tcp	-	2.210889	100	0	SF	-	-	0	ShADaFf	5	368	4	216	-
#close	2026-11-26-03-53-46
