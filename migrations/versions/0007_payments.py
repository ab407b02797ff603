"""payments: orders, their lines, transitions and bank notifications

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 00:36:15.269937

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('payment_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('entry', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('bank', sa.String(length=32), nullable=True),
    sa.Column('bank_transaction', sa.String(length=64), nullable=True),
    sa.Column('refund_due', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('paid_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_payment_order_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_order')),
    sa.UniqueConstraint('number', name=op.f('uq_payment_order_number'))
    )
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_order_city'), ['city'], unique=False)
        batch_op.create_index('ix_payment_order_city_person_created', ['city', 'person_id', 'created_at'], unique=False)
        batch_op.create_index('ix_payment_order_status_updated', ['status', 'updated_at'], unique=False)

    op.create_table('bank_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('bank', sa.String(length=32), nullable=False),
    sa.Column('transaction_id', sa.String(length=64), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('result', sa.String(length=16), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['payment_order.id'], name=op.f('fk_bank_notification_order_id_payment_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_notification')),
    sa.UniqueConstraint('bank', 'transaction_id', name=op.f('uq_bank_notification_bank_transaction_id'))
    )
    with op.batch_alter_table('bank_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_notification_city'), ['city'], unique=False)

    op.create_table('payment_order_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('insurance_type', sa.String(length=24), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('base', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('holds_period', sa.Boolean(), nullable=True),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['payment_order.id'], name=op.f('fk_payment_order_line_order_id_payment_order'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_payment_order_line_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_order_line')),
    sa.UniqueConstraint('person_id', 'insurance_type', 'period', 'holds_period', name='uq_payment_order_line_holds_period')
    )
    with op.batch_alter_table('payment_order_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_order_line_city'), ['city'], unique=False)
        batch_op.create_index('ix_payment_order_line_order', ['order_id'], unique=False)

    op.create_table('payment_transition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=False),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('cause', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['payment_order.id'], name=op.f('fk_payment_transition_order_id_payment_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_transition'))
    )
    with op.batch_alter_table('payment_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_payment_transition_city'), ['city'], unique=False)
        batch_op.create_index('ix_payment_transition_order', ['order_id'], unique=False)



def downgrade():
    with op.batch_alter_table('payment_transition', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_transition_order')
        batch_op.drop_index(batch_op.f('ix_payment_transition_city'))

    op.drop_table('payment_transition')
    with op.batch_alter_table('payment_order_line', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_order_line_order')
        batch_op.drop_index(batch_op.f('ix_payment_order_line_city'))

    op.drop_table('payment_order_line')
    with op.batch_alter_table('bank_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_notification_city'))

    op.drop_table('bank_notification')
    with op.batch_alter_table('payment_order', schema=None) as batch_op:
        batch_op.drop_index('ix_payment_order_status_updated')
        batch_op.drop_index('ix_payment_order_city_person_created')
        batch_op.drop_index(batch_op.f('ix_payment_order_city'))

    op.drop_table('payment_order')
