# cmake -DIN=page.5.in -DCONFIG=callcenter.toml -DOUT=page.5 -DVERSION=x -P this
# callcenter.toml(5): IN's text with @CONFIG_TEXT@ replaced by the annotated
# configuration, escaped for roff (its comments document every key).
file(READ "${CONFIG}" text)
string(REPLACE "\\" "\\e" text "${text}")
# A line starting with . or ' would be a roff request.
string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
set(CONFIG_TEXT "${text}")
configure_file("${IN}" "${OUT}" @ONLY)
