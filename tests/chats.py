"""Test conversations shared by the service and console tests: grooming tactics (flattery, age
question, gifts, secrecy, moving apps, a photo request) without sexual content, made-up names."""

GROOMING = [
    ("adult", "hey, you seem really mature for your age"),
    ("kid", "thanks lol"),
    ("adult", "how old are you?"),
    ("kid", "13"),
    ("adult", "you are so pretty, i could buy you a new phone"),
    ("adult", "this is just between us, dont tell your parents ok"),
    ("adult", "add me on snapchat"),
    ("adult", "send me a photo of you"),
]
