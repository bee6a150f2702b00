import json


class RecordingInvoker:
    """An invoker that records each call and answers (or raises) what it was given."""

    def __init__(self, answers=None):
        self.calls = []
        self.answers = list(answers or [])

    def invoke(self, function_name, event):
        self.calls.append((function_name, json.loads(json.dumps(event))))
        answer = self.answers.pop(0) if self.answers else {}
        if isinstance(answer, Exception):
            raise answer
        return answer
