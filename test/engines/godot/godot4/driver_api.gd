# The driver's calls that differ between Godot 4 (this file) and Godot 3.


static func ticks_ms() -> int:
	return Time.get_ticks_msec()


static func post(http: HTTPRequest, url: String) -> int:
	return http.request(url, PackedStringArray(), HTTPClient.METHOD_POST, "")
