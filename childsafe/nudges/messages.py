"""The English source text of every nudge; each string is a gettext msgid.

Written for the child, never the sender: no blame, plain words for the age band, one reason and
a way out. Placeholders in braces are filled after translation ({helpline_name}, {helpline_number}).
``N_`` only marks strings for extraction into the catalogue (``python -m childsafe.nudges.catalogues``).
"""

from __future__ import annotations


def N_(text: str) -> str:
    return text


AGE_BANDS = ("under_13", "13-15", "16-17")

NOT_YOUR_FAULT = N_("You haven't done anything wrong.")

# What the other person's message is doing, per tactic and age band.
TACTIC_TEXT: dict[str, dict[str, str]] = {
    "age_identity_probing": {
        "under_13": N_("This person is asking how old you are. You don't have to tell people online your age."),
        "13-15": N_("They're asking about your age. You don't have to share it, and someone who keeps asking may not "
                    "be who they say they are."),
        "16-17": N_("They're asking how old you are. What you share is your call; people who push for it can have "
                    "reasons you wouldn't like."),
    },
    "flattery_special_relationship": {
        "under_13": N_("Lots of nice words from someone you don't know well can be a trick to make you trust them fast."),
        "13-15": N_("Compliments feel good, but when someone you've only met online quickly says you're special, it "
                    "can be a way to build trust fast."),
        "16-17": N_("Being told you're special or 'mature for your age' by someone online is a common way to build "
                    "trust quickly and ask for things later."),
    },
    "gifts_offers": {
        "under_13": N_("They are offering you a present or game money. Presents from people you don't know can come "
                       "with a catch."),
        "13-15": N_("Free skins, money or gift cards from someone online often come with strings attached later. You "
                    "don't owe anyone anything."),
        "16-17": N_("Offers of money, gifts or game currency can be used to make you feel you owe someone. You don't "
                    "owe anyone anything."),
    },
    "secrecy": {
        "under_13": N_("Someone asking you to keep a secret from your family is a warning sign. You can always tell a "
                       "grown-up about it."),
        "13-15": N_("When someone asks you to keep your chats secret or delete them, that's a red flag. You're allowed "
                    "to tell anyone you like."),
        "16-17": N_("Being asked to keep a friendship secret or delete messages is a classic warning sign. You can tell "
                    "whoever you choose."),
    },
    "isolation_exclusivity": {
        "under_13": N_("They are saying your friends or family don't care about you. That isn't true, and someone who "
                       "cares about you would not say it."),
        "13-15": N_("Someone saying only they understand you, and your friends or family don't, may be trying to pull "
                    "you away from people who look out for you."),
        "16-17": N_("Turning you against friends or family is a way of making you depend on one person."),
    },
    "risk_assessment": {
        "under_13": N_("They are asking if you are on your own or if grown-ups check your phone. You don't need to "
                       "answer that."),
        "13-15": N_("Questions like 'are your parents home?' or 'who checks your phone?' can be a way to find out if "
                    "anyone is looking out for you. You don't have to answer."),
        "16-17": N_("Being asked whether you're alone or who sees your messages can mean someone is checking whether "
                    "they would get caught."),
    },
    "platform_move": {
        "under_13": N_("They want to chat on a different app or get your number. It's safer to stay here, where you "
                       "can block and report."),
        "13-15": N_("Asking to move to another app or for your number can be a way to get you somewhere less safe. "
                    "You can say no and stay here."),
        "16-17": N_("Moving to another app or swapping numbers takes the chat away from the tools here that protect "
                    "you. It's fine to say no."),
    },
    "photo_camera_request": {
        "under_13": N_("They are asking for a photo or for your camera. You never have to send photos or go on camera."),
        "13-15": N_("You never have to send a photo, go on camera or go live for anyone, whatever they say. Once sent, "
                    "a picture can be kept and shared."),
        "16-17": N_("No one has the right to pressure you for photos or video. Anything you send can be saved and used "
                    "against you."),
    },
    "meeting_request": {
        "under_13": N_("They want to meet you. Never go to meet someone you only know online. Tell a grown-up you trust "
                       "straight away."),
        "13-15": N_("Meeting someone you only know online can be dangerous, even if they seem nice. Don't go, and tell "
                    "an adult you trust."),
        "16-17": N_("Someone you only know online wants to meet. Talk to an adult you trust first, and never go alone "
                    "or somewhere private."),
    },
    "guilt_pressure": {
        "under_13": N_("It's OK to say no, even if someone is upset or says you owe them."),
        "13-15": N_("Making you feel guilty, or like you owe them, is a way to pressure you. Saying no is always OK."),
        "16-17": N_("Guilt and pressure are ways to get you to do something you don't want to do. You can say no, "
                    "block them and get support."),
    },
    "threats_sextortion": {
        "under_13": N_("Someone is threatening you. This is not your fault and you are not in trouble. Don't send "
                       "anything, and tell a grown-up you trust now."),
        "13-15": N_("If someone threatens you or asks for money or more pictures, it is not your fault and you are not "
                    "in trouble. Don't pay and don't send anything. Keep the messages, and tell an adult you trust."),
        "16-17": N_("Threatening to share your pictures or chats is a crime by them, not you. Don't pay or send more. "
                    "Keep the messages as evidence and get support."),
    },
    "body_relationship_steering": {
        "under_13": N_("They are asking personal questions about your body or about boyfriends and girlfriends. You "
                       "don't have to answer."),
        "13-15": N_("Personal questions about your body or dating from someone online can be a way to push the chat "
                    "somewhere it shouldn't go. You don't have to answer."),
        "16-17": N_("Steering the chat towards your body or your relationships is a common step before asking for "
                    "more. You can end the chat."),
    },
    "location_probing": {
        "under_13": N_("They are asking where you live or go to school. Keep that private online."),
        "13-15": N_("Questions about your address, your school or the way you walk home can tell someone where to find "
                    "you. You don't have to answer."),
        "16-17": N_("Where you live, study or hang out lets someone find you offline. Keep it to yourself unless you "
                    "know and trust them in real life."),
    },
}

# What the child is about to send, per personal-detail kind: a simpler line for under-13s and one
# for teenagers.
PII_TEXT: dict[str, dict[str, str]] = {
    "phone": {"under_13": N_("This has a phone number in it. People you only know online should not get your number."),
              "teen": N_("This message has a phone number in it. With it, someone can contact you away from this "
                         "app's safety tools.")},
    "email": {"under_13": N_("This has an email address in it. Keep it for people you know in real life."),
              "teen": N_("This message has an email address in it. It lets someone contact you outside this app and "
                         "find your other accounts.")},
    "address": {"under_13": N_("This has an address in it. Your address shows where you live."),
                "teen": N_("This message has a street address in it. It tells someone exactly where to find you.")},
    "postcode": {"under_13": N_("This has a postcode in it. It shows where you live."),
                 "teen": N_("This message has a postcode in it. A postcode narrows down where you live to a few streets.")},
    "zip": {"under_13": N_("This has a ZIP code in it. It shows where you live."),
            "teen": N_("This message has a ZIP code in it. It narrows down where you live.")},
    "school": {"under_13": N_("This says which school you go to."),
               "teen": N_("This message names your school. It tells someone where you are every weekday.")},
    "home_area": {"under_13": N_("This says where you live."),
                  "teen": N_("This message says where you live. It can help someone find you offline.")},
    "coordinates": {"under_13": N_("This has your location in it."),
                    "teen": N_("This message has map coordinates in it. They show exactly where you are.")},
    "map_link": {"under_13": N_("This has a map link that shows where you are."),
                 "teen": N_("This message has a map link or location pin. It shows exactly where you are.")},
    "handle": {"under_13": N_("This has your name on another app."),
               "teen": N_("This message has your username on another app. It moves the chat somewhere this app "
                          "can't help keep you safe.")},
    "age": {"under_13": N_("This says how old you are."),
            "teen": N_("This message says how old you are. Some people online look for young people to target.")},
    "birthday": {"under_13": N_("This has your birthday in it."),
                 "teen": N_("This message has your birthday in it. A date of birth can be used to guess passwords or "
                            "pretend to be you.")},
    "full_name": {"under_13": N_("This has your full name in it."),
                  "teen": N_("This message has your full name in it. It makes it easy to find you and your family "
                             "online.")},
}

# How a personal-detail nudge is framed, per age band; {detail} is the PII_TEXT line above.
PII_FRAME: dict[str, str] = {
    "under_13": N_("Before you send: {detail} You can take it out."),
    "13-15": N_("Heads up before you send: {detail} You can edit it out, or only send it to someone you know in real "
                "life."),
    "16-17": N_("Before sending: {detail} It's your choice; just make sure you know and trust who gets it."),
}

# What every nudge offers; the client shows these as buttons.
ACTION_LABELS: dict[str, str] = {
    "block": N_("Block them"),
    "report": N_("Report them"),
    "talk_to_trusted_adult": N_("Talk to an adult you trust"),
    "helpline": N_("Contact {helpline_name} ({helpline_number})"),
    "helpline_no_number": N_("Contact {helpline_name}"),
    "edit_message": N_("Change my message"),
    "keep_evidence": N_("Keep the messages, don't delete them"),
    "leave_chat": N_("Leave the chat"),
}

HELPLINE_LINE = N_("You can talk to {helpline_name} for free on {helpline_number}.")
HELPLINE_LINE_NO_NUMBER = N_("You can talk to {helpline_name}.")


def all_msgids() -> list[str]:
    """Every source string, in a stable order, for the catalogue template."""
    out = [NOT_YOUR_FAULT, HELPLINE_LINE, HELPLINE_LINE_NO_NUMBER]
    for bands in TACTIC_TEXT.values():
        out.extend(bands.values())
    for bands in PII_TEXT.values():
        out.extend(bands.values())
    out.extend(PII_FRAME.values())
    out.extend(ACTION_LABELS.values())
    return list(dict.fromkeys(out))
