"""contribution records (缴费历史; the pension personal account is derived from them)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 23:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('insurance_type', sa.String(length=24), nullable=False),
    sa.Column('period', sa.Date(), nullable=False),
    sa.Column('base', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('individual', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('employer', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('payer', sa.String(length=128), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('city', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_contribution_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contribution')),
    sa.UniqueConstraint('person_id', 'insurance_type', 'period', name=op.f('uq_contribution_person_id_insurance_type_period'))
    )
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contribution_city'), ['city'], unique=False)
        batch_op.create_index('ix_contribution_city_person_type_period', ['city', 'person_id', 'insurance_type', 'period'], unique=False)


def downgrade():
    with op.batch_alter_table('contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_contribution_city_person_type_period')
        batch_op.drop_index(batch_op.f('ix_contribution_city'))

    op.drop_table('contribution')
