# The driver's calls that differ between Godot 3 (this file) and Godot 4.


static func ticks_ms() -> int:
	return OS.get_ticks_msec()


static func post(http: HTTPRequest, url: String) -> int:
	return http.request(url, PoolStringArray(), false, HTTPClient.METHOD_POST, "")
