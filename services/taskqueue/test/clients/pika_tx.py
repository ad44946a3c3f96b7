# pika (Debian python3-pika) against an AMQP broker: transactions and publish errors, the way a
# client we did not write sees them. Prints one JSON line. Usage: pika_tx.py <amqp url>
import json, sys, uuid
import pika

params = pika.URLParameters(sys.argv[1])
out = {}


def tx_case(name, bad_publish, before_commit=None):
    """publish one good message in a transaction, then the bad one: where does the channel close?"""
    conn = pika.BlockingConnection(params)
    admin = conn.channel()
    q = 'rf-pika-' + uuid.uuid4().hex[:8]
    admin.queue_declare(q)
    ch = conn.channel()
    closed = {}
    ch._impl.add_on_close_callback(lambda c, reason: closed.setdefault('r', [reason.reply_code, reason.reply_text]))
    ch.tx_select()
    ch.basic_publish('', q, b'held')
    bad_publish(ch, q)
    # a round trip that is not tx.commit: RabbitMQ has closed the channel by the time it is answered
    try:
        ch.basic_qos(prefetch_count=0)
        at = 'commit'
        try:
            ch.tx_commit()
            at = 'none'
        except pika.exceptions.ChannelClosedByBroker:
            pass
    except pika.exceptions.ChannelClosedByBroker:
        at = 'publish'
    out[name] = {'closedAt': at, 'reason': closed.get('r'), 'left': admin.queue_declare(q, passive=True).method.message_count}
    admin.queue_delete(q)
    conn.close()


tx_case('missingExchange', lambda ch, q: ch.basic_publish('rf-pika-no-such-exchange', 'k', b'x'))
tx_case('deliveryMode3', lambda ch, q: ch.basic_publish('', q, b'x', properties=pika.BasicProperties(delivery_mode=3)))
tx_case('missingExchangeBadExpiration', lambda ch, q: ch.basic_publish('rf-pika-no-such-exchange', 'k', b'x', properties=pika.BasicProperties(expiration='soon')))
print(json.dumps(out))
